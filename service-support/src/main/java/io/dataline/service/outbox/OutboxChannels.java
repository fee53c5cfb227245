package io.dataline.service.outbox;

import io.dataline.events.PipelineEvent;
import java.util.Map;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/**
 * What a service publishes: one bean per service maps each topic it writes to the emitter of the channel bound to
 * that topic ({@code @Channel} injection points are what make SmallRye create the channels, so they stay with the
 * service that configures them).
 */
public interface OutboxChannels {

    Map<String, Emitter<PipelineEvent>> byTopic();
}
