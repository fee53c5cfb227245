package io.dataline.validation.messaging;

import io.dataline.events.EventJson;
import io.dataline.events.EventType;
import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.events.outbox.OutboxRelayLoop;
import io.dataline.events.outbox.Traceparents;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends outbox rows to {@code dataset.validated} and {@code dataset.validation-failed}, keyed by dataset name, in the
 * trace of the commit that caused them; completes on the broker's acknowledgement.
 */
@ApplicationScoped
public class PipelineEventPublisher {

    public static final String VALIDATED_CHANNEL = "dataset-validated";
    public static final String FAILED_CHANNEL = "dataset-validation-failed";

    private final Emitter<PipelineEvent> validated;
    private final Emitter<PipelineEvent> failed;

    PipelineEventPublisher(@Channel(VALIDATED_CHANNEL) Emitter<PipelineEvent> validated, @Channel(FAILED_CHANNEL) Emitter<PipelineEvent> failed) {
        this.validated = validated;
        this.failed = failed;
    }

    public CompletionStage<Void> send(OutboxRelayLoop.Row row) {
        Emitter<PipelineEvent> emitter = switch (row.topic()) {
            case Topics.DATASET_VALIDATED -> validated;
            case Topics.DATASET_VALIDATION_FAILED -> failed;
            default -> null;
        };
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
