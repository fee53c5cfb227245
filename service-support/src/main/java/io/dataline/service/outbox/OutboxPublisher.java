package io.dataline.service.outbox;

import io.dataline.events.EventJson;
import io.dataline.events.EventType;
import io.dataline.events.PipelineEvent;
import io.dataline.events.outbox.Traceparents;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends outbox rows through the service's one outgoing channel, {@value #CHANNEL}, each to the topic its row names
 * (one event type per topic), keyed by dataset name, in the trace of the request or event that caused it; the returned
 * stage completes on the broker's acknowledgement and fails when it refused. Every service configures the channel
 * once ({@code mp.messaging.outgoing.outbox.*}: serializers, {@code acks=all}, idempotence).
 */
@ApplicationScoped
public class OutboxPublisher implements OutboxRelayLoop.Sender {

    /** The outgoing channel every service publishes its events on. */
    public static final String CHANNEL = "outbox";

    @Inject
    @Channel(CHANNEL)
    Emitter<PipelineEvent> emitter;

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
        EventType type = EventType.forTopic(row.topic()).orElse(null);
        if (type == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("outbox row " + row.id() + " is for unknown topic " + row.topic()));
        }
        PipelineEvent event;
        try {
            event = EventJson.mapper().readValue(row.payload(), type.eventClass());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("outbox row " + row.id() + " does not match " + row.topic(), e));
        }
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        Message<PipelineEvent> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(row.topic()).withKey(row.key()).build())
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
