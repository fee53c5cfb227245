package io.dataline.validation.messaging;

import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.events.outbox.OutboxRelayLoop;
import io.dataline.service.OutboxPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Sends outbox rows to {@code dataset.validated} and {@code dataset.validation-failed} (the shared {@link OutboxPublisher}). */
@ApplicationScoped
public class PipelineEventPublisher {

    public static final String VALIDATED_CHANNEL = "dataset-validated";
    public static final String FAILED_CHANNEL = "dataset-validation-failed";

    private final OutboxPublisher publisher;

    PipelineEventPublisher(@Channel(VALIDATED_CHANNEL) Emitter<PipelineEvent> validated, @Channel(FAILED_CHANNEL) Emitter<PipelineEvent> failed) {
        this.publisher = new OutboxPublisher(Map.of(Topics.DATASET_VALIDATED, validated, Topics.DATASET_VALIDATION_FAILED, failed));
    }

    public CompletionStage<Void> send(OutboxRelayLoop.Row row) {
        return publisher.send(row);
    }
}
