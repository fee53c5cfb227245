package io.dataline.service.inbox;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An event this service has acted on: the idempotency log, written with the effect ({@link Inbox}). */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent {

    @Id
    public UUID eventId;
    public String topic;
    public Instant processedAt;
}
