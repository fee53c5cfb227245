package io.dataline.dataset.messaging;

import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.service.outbox.OutboxChannels;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * What dataset-service publishes through the shared outbox relay: {@code dataset.committed}, keyed by dataset name so
 * one dataset's events stay ordered, marked sent only once the broker has acknowledged it (acks=all).
 */
@ApplicationScoped
public class DatasetChannels implements OutboxChannels {

    /** Channel name = the event in kebab case. */
    public static final String CHANNEL = "dataset-committed";

    private final Map<String, Emitter<PipelineEvent>> byTopic;

    DatasetChannels(@Channel(CHANNEL) Emitter<PipelineEvent> committed) {
        this.byTopic = Map.of(Topics.DATASET_COMMITTED, committed);
    }

    @Override
    public Map<String, Emitter<PipelineEvent>> byTopic() {
        return byTopic;
    }
}
