package io.dataline.service.outbox;

import io.dataline.service.GeneratedIdEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * An event written in the same transaction as the state change it announces ({@link OutboxWriter}); the relay
 * publishes rows in id order and sets {@code sentAt}. The table comes from the shared migrations.
 */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends GeneratedIdEntity {

    public UUID eventId;
    public String topic;
    /** The Kafka key: the dataset name. */
    public String recordKey;
    /** The event as JSON. */
    public String payload;
    /** W3C trace context of the request or event that caused this one, so the pipeline continues its trace. */
    public String traceparent;
    public Instant createdAt;
    public Instant sentAt;
}
