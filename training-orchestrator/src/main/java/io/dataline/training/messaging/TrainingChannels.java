package io.dataline.training.messaging;

import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.service.outbox.OutboxChannels;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * What training-orchestrator publishes through the shared outbox relay: {@code training.run-started},
 * {@code training.run-failed} and {@code model.registered}, in the order written.
 */
@ApplicationScoped
public class TrainingChannels implements OutboxChannels {

    public static final String RUN_STARTED_CHANNEL = "training-run-started";
    public static final String RUN_FAILED_CHANNEL = "training-run-failed";
    public static final String MODEL_REGISTERED_CHANNEL = "model-registered";

    private final Map<String, Emitter<PipelineEvent>> byTopic;

    TrainingChannels(@Channel(RUN_STARTED_CHANNEL) Emitter<PipelineEvent> started, @Channel(RUN_FAILED_CHANNEL) Emitter<PipelineEvent> failed,
            @Channel(MODEL_REGISTERED_CHANNEL) Emitter<PipelineEvent> registered) {
        this.byTopic = Map.of(Topics.TRAINING_RUN_STARTED, started, Topics.TRAINING_RUN_FAILED, failed, Topics.MODEL_REGISTERED, registered);
    }

    @Override
    public Map<String, Emitter<PipelineEvent>> byTopic() {
        return byTopic;
    }
}
