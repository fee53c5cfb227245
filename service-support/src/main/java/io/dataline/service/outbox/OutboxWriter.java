package io.dataline.service.outbox;

import io.dataline.events.PipelineEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The one way a service announces a state change: {@link #write} adds the event to the outbox inside the caller's
 * transaction (there must be one), after checking it against its topic's schema, so the event exists if and only if
 * the change committed. The relay wakes when that transaction commits.
 */
@ApplicationScoped
public class OutboxWriter {

    @Inject
    EntityManager entities;

    @Inject
    Event<OutboxWritten> written;

    /** Writes {@code event} (keyed by its dataset name) in the current transaction; {@code traceparent} may be null. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void write(PipelineEvent event, String traceparent) {
        JdbcOutbox.Serialized serialized = JdbcOutbox.serialize(event);
        OutboxEvent row = new OutboxEvent();
        row.eventId = serialized.eventId();
        row.topic = serialized.topic();
        row.recordKey = event.dataset();
        row.payload = serialized.payload();
        row.traceparent = traceparent;
        row.createdAt = event.occurredAt();
        entities.persist(row);
        written.fire(new OutboxWritten());
    }
}
