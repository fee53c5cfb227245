package io.dataline.dataset.messaging;

import io.dataline.events.DatasetCommittedEvent;
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
 * Sends {@code DatasetCommittedEvent}s to {@code dataset.committed}, keyed by dataset name so one dataset's events stay
 * ordered. The returned stage completes when the broker has acknowledged the record (acks=all) and fails when it was
 * refused, so the caller (the outbox relay) marks an event sent only once it is durably on the topic.
 */
@ApplicationScoped
public class DatasetCommittedPublisher {

    /** Channel name = the event in kebab case. */
    public static final String CHANNEL = "dataset-committed";

    private final Emitter<DatasetCommittedEvent> emitter;

    DatasetCommittedPublisher(@Channel(CHANNEL) Emitter<DatasetCommittedEvent> emitter) {
        this.emitter = emitter;
    }

    public CompletionStage<Void> publish(DatasetCommittedEvent event) {
        return publish(event, null);
    }

    /**
     * Publishes in the trace given by a W3C {@code traceparent} (the request that made the commit), so the pipeline
     * continues that trace; with none, in the current one.
     */
    public CompletionStage<Void> publish(DatasetCommittedEvent event, String traceparent) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        Message<DatasetCommittedEvent> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.dataset()).build())
                .withAck(() -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        if (traceparent != null) {
            message = message.addMetadata(TracingMetadata.withCurrent(Traceparents.context(traceparent)));
        }
        emitter.send(message);
        return acknowledged;
    }
}
