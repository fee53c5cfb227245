package io.dataline.training.messaging;

import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.outbox.Traceparents;
import io.dataline.service.messaging.ConsumerRetry;
import io.dataline.training.service.RunService;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code dataset.validated} and queues one training run per validated version (the run itself executes on
 * the workers, so the partition is never held up by training). dataset-service or the database away: retried with
 * back-off until they are back ({@link ConsumerRetry}); an event naming a pipeline revision that does not exist, or a
 * record that cannot be read, goes to {@code dataset.validated.training-orchestrator.dlq} at once. Redeliveries are
 * no-ops.
 */
@ApplicationScoped
public class DatasetValidatedConsumer {

    /** Channel name = the event in kebab case. */
    public static final String CHANNEL = "dataset-validated";

    private static final Logger LOG = Logger.getLogger(DatasetValidatedConsumer.class);

    @Inject
    RunService runs;

    @Inject
    ConsumerRetry retry;

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(Message<DatasetValidatedEvent> message) {
        return retry.settle(message, event -> runs.onValidated(event, Traceparents.current()).ifPresentOrElse(
                run -> LOG.debugf("%s@%s: run %s %s", event.dataset(), event.dataVersion(), run.id, run.state),
                () -> LOG.debugf("%s@%s: nothing to train (no spec, already trained, or a redelivery)", event.dataset(), event.dataVersion())));
    }
}
