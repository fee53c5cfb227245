package io.dataline.validation.messaging;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.validation.service.CommitIntakeService;
import io.opentelemetry.api.trace.Span;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code dataset.committed}. Records that cannot be read go to
 * {@code dataset.committed.validation-service.dlq} (see application.properties); redeliveries are no-ops. A
 * transient failure (database unreachable, a concurrent duplicate) is retried a few times before the record is
 * dead-lettered with the failure as its reason.
 */
@ApplicationScoped
public class DatasetCommittedConsumer {

    /** Channel name = the event in kebab case. */
    public static final String CHANNEL = "dataset-committed";

    private static final Logger LOG = Logger.getLogger(DatasetCommittedConsumer.class);

    private final CommitIntakeService intake;

    DatasetCommittedConsumer(CommitIntakeService intake) {
        this.intake = intake;
    }

    @Incoming(CHANNEL)
    @Blocking
    @Retry(maxRetries = 5, delay = 500, jitter = 250)
    public void consume(DatasetCommittedEvent event) {
        boolean fresh = intake.receive(event, Span.current().getSpanContext().getTraceId());
        LOG.debugf("%s %s@%s (event %s)", fresh ? "received" : "duplicate ignored", event.dataset(), event.dataVersion(),
                event.eventId());
    }
}
