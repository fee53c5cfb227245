package io.dataline.service.outbox;

import io.dataline.events.EventJson;
import io.dataline.events.EventType;
import io.dataline.events.PipelineEvent;
import io.dataline.events.outbox.Traceparents;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends outbox rows to their topics through the service's emitters (one per topic), keyed by dataset name, in the
 * trace of the request or event that caused them; the returned stage completes on the broker's acknowledgement.
 */
public final class OutboxPublisher implements OutboxRelayLoop.Sender {

    private final Map<String, Emitter<PipelineEvent>> emitters;

    /** {@code emitters}: topic name → the emitter of the channel bound to that topic. */
    public OutboxPublisher(Map<String, Emitter<PipelineEvent>> emitters) {
        this.emitters = Map.copyOf(emitters);
    }

    /** Sends one event as its outbox row would be sent (checked against its schema first; keyed by its dataset). */
    public CompletionStage<Void> send(PipelineEvent event, String traceparent) {
        JdbcOutbox.Serialized serialized;
        try {
            serialized = JdbcOutbox.serialize(event);
        } catch (IllegalStateException e) {
            return CompletableFuture.failedFuture(e);
        }
        return send(new OutboxRelayLoop.Row(0, serialized.eventId(), serialized.topic(), event.dataset(), serialized.payload(), traceparent));
    }

    @Override
    public CompletionStage<Void> send(OutboxRelayLoop.Row row) {
        Emitter<PipelineEvent> emitter = emitters.get(row.topic());
        if (emitter == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("outbox row " + row.id() + " is for unknown topic " + row.topic()));
        }
        PipelineEvent event;
        try {
            event = EventJson.mapper().readValue(row.payload(), EventType.forTopic(row.topic()).orElseThrow().eventClass());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("outbox row " + row.id() + " does not match " + row.topic(), e));
        }
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        Message<PipelineEvent> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(row.key()).build())
                .withAck(() -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        if (row.traceparent() != null) {
            message = message.addMetadata(TracingMetadata.withCurrent(Traceparents.context(row.traceparent())));
        }
        emitter.send(message);
        return acknowledged;
    }
}
