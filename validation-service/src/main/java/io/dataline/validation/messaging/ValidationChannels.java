package io.dataline.validation.messaging;

import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.service.outbox.OutboxChannels;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** What validation-service publishes through the shared outbox relay: {@code dataset.validated} and {@code dataset.validation-failed}. */
@ApplicationScoped
public class ValidationChannels implements OutboxChannels {

    public static final String VALIDATED_CHANNEL = "dataset-validated";
    public static final String FAILED_CHANNEL = "dataset-validation-failed";

    private final Map<String, Emitter<PipelineEvent>> byTopic;

    ValidationChannels(@Channel(VALIDATED_CHANNEL) Emitter<PipelineEvent> validated, @Channel(FAILED_CHANNEL) Emitter<PipelineEvent> failed) {
        this.byTopic = Map.of(Topics.DATASET_VALIDATED, validated, Topics.DATASET_VALIDATION_FAILED, failed);
    }

    @Override
    public Map<String, Emitter<PipelineEvent>> byTopic() {
        return byTopic;
    }
}
