package io.dataline.training.messaging;

import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.outbox.Traceparents;
import io.dataline.service.UnprocessableEventException;
import io.dataline.training.service.RunService;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code dataset.validated} and queues one training run per validated version (the run itself executes on
 * the workers, so the partition is never held up by training). dataset-service unreachable: retried with exponential
 * back-off, then {@code dataset.validated.training-orchestrator.dlq}; an event naming a pipeline revision that does not
 * exist, or a record that cannot be read, goes to the DLQ at once. Redeliveries are no-ops.
 */
@ApplicationScoped
public class DatasetValidatedConsumer {

    /** Channel name = the event in kebab case. */
    public static final String CHANNEL = "dataset-validated";

    private static final Logger LOG = Logger.getLogger(DatasetValidatedConsumer.class);

    private final RunService runs;

    DatasetValidatedConsumer(RunService runs) {
        this.runs = runs;
    }

    @Incoming(CHANNEL)
    @Blocking
    @Retry(maxRetries = 6, delay = 500, jitter = 200, abortOn = UnprocessableEventException.class)
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    public void consume(DatasetValidatedEvent event) {
        runs.onValidated(event, Traceparents.current()).ifPresentOrElse(
                run -> LOG.debugf("%s@%s: run %s %s", event.dataset(), event.dataVersion(), run.id, run.state),
                () -> LOG.debugf("%s@%s: nothing to train (no spec, already trained, or a redelivery)", event.dataset(), event.dataVersion()));
    }
}
