package io.dataline.validation.messaging;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.outbox.Traceparents;
import io.dataline.service.messaging.ConsumerRetry;
import io.dataline.validation.service.ValidationService;
import io.opentelemetry.api.trace.Span;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code dataset.committed} and validates each version once. dataset-service unreachable: retried with
 * exponential back-off ({@link ConsumerRetry}), then the record goes to {@code dataset.committed.validation-service.dlq}
 * with the failure as reason (the version is never marked validated or failed by mistake). An event naming a dataset
 * or version that does not exist, or a record that cannot be read, goes to the DLQ at once. Redeliveries are no-ops.
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
    public void consume(DatasetCommittedEvent event) {
        String traceId = Span.current().getSpanContext().getTraceId();
        retry.run(event, () -> validation.onCommitted(event, Traceparents.current(), traceId)).ifPresentOrElse(
                report -> LOG.debugf("%s@%s %s", event.dataset(), event.dataVersion(), report.passed ? "validated" : "failed validation"),
                () -> LOG.debugf("duplicate ignored: event %s", event.eventId()));
    }
}
