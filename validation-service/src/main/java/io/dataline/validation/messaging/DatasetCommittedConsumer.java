package io.dataline.validation.messaging;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.outbox.Traceparents;
import io.dataline.service.messaging.ConsumerRetry;
import io.dataline.validation.service.ValidationService;
import io.opentelemetry.api.trace.Span;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code dataset.committed} and validates each version once. dataset-service or the database away: retried
 * with back-off until they are back ({@link ConsumerRetry}; the version is never marked validated or failed by
 * mistake, and nothing is dead-lettered for an outage). An event naming a dataset or version that does not exist, or
 * a record that cannot be read, goes to {@code dataset.committed.validation-service.dlq} at once. Redeliveries are
 * no-ops; a message in flight when the service stops is delivered again after the restart.
 */
@ApplicationScoped
public class DatasetCommittedConsumer {

    /** Channel name = the event in kebab case. */
    public static final String CHANNEL = "dataset-committed";

    private static final Logger LOG = Logger.getLogger(DatasetCommittedConsumer.class);

    @Inject
    ValidationService validation;

    @Inject
    ConsumerRetry retry;

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(Message<DatasetCommittedEvent> message) {
        return retry.settle(message, event -> {
            String traceId = Span.current().getSpanContext().getTraceId();
            long started = System.nanoTime();
            validation.onCommitted(event, Traceparents.current(), traceId).ifPresentOrElse(
                    report -> LOG.infof("%s@%s %s: %d records in %.1f s", event.datasetSlug(), event.dataVersion().substring(0, 12),
                            report.passed ? "validated" : "failed validation", report.recordCount, (System.nanoTime() - started) / 1e9),
                    () -> LOG.debugf("duplicate ignored: event %s", event.eventId()));
        });
    }
}
