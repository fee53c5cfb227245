package io.dataline.service.inbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Idempotent consumption, the same in every service: an event's effect and the record that it was processed commit
 * in one transaction, so a redelivered event changes nothing. Two deliveries racing past {@link #seen} both try to
 * record the id; the second fails on the primary key and, redelivered, finds it seen.
 */
@ApplicationScoped
public class Inbox {

    @Inject
    EntityManager entities;

    /** Whether the event was processed already (a cheap check before slow work; {@link #once} checks again). */
    public boolean seen(UUID eventId) {
        return QuarkusTransaction.requiringNew().call(() -> entities.find(ProcessedEvent.class, eventId) != null);
    }

    /** Whether the event was processed already, read in the caller's transaction. */
    @jakarta.transaction.Transactional(jakarta.transaction.Transactional.TxType.MANDATORY)
    public boolean processed(UUID eventId) {
        return entities.find(ProcessedEvent.class, eventId) != null;
    }

    /**
     * Runs {@code work} and records the event as processed, in one new transaction; empty, and nothing done, when the
     * event was processed before. The result is empty too when {@code work} returns null.
     */
    public <T> Optional<T> once(UUID eventId, String topic, Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (entities.find(ProcessedEvent.class, eventId) != null) {
                return Optional.<T>empty();
            }
            ProcessedEvent processed = new ProcessedEvent();
            processed.eventId = eventId;
            processed.topic = topic;
            processed.processedAt = Instant.now();
            entities.persist(processed);
            return Optional.ofNullable(work.get());
        });
    }
}
