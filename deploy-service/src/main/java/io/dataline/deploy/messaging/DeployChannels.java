package io.dataline.deploy.messaging;

import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.service.outbox.OutboxChannels;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** What deploy-service publishes through the shared outbox relay: {@code model.promoted} and {@code model.promotion-rejected}. */
@ApplicationScoped
public class DeployChannels implements OutboxChannels {

    public static final String PROMOTED_CHANNEL = "model-promoted";
    public static final String REJECTED_CHANNEL = "model-promotion-rejected";

    private final Map<String, Emitter<PipelineEvent>> byTopic;

    DeployChannels(@Channel(PROMOTED_CHANNEL) Emitter<PipelineEvent> promoted, @Channel(REJECTED_CHANNEL) Emitter<PipelineEvent> rejected) {
        this.byTopic = Map.of(Topics.MODEL_PROMOTED, promoted, Topics.MODEL_PROMOTION_REJECTED, rejected);
    }

    @Override
    public Map<String, Emitter<PipelineEvent>> byTopic() {
        return byTopic;
    }
}
