package io.dataline.dataset.messaging;

import io.dataline.dataset.openlineage.LineageRunEvents;
import io.dataline.dataset.openlineage.LineageTransport;
import io.dataline.events.PipelineEvent;
import io.dataline.service.messaging.ConsumerRetry;
import io.openlineage.client.OpenLineage.RunEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Publishes every pipeline stage as OpenLineage run events ({@link LineageRunEvents}) to the configured catalog or
 * topic ({@link LineageTransport}): one channel reading the eight pipeline topics in a consumer group of its own
 * ({@code dataset-service-openlineage}), so the pipeline never waits for the catalog. The pipeline events themselves
 * come from each service's outbox; an offset is committed only once its lineage events went out, so the catalog (or
 * validation-service, whose report the events carry) being away loses nothing: the channel waits, retrying with
 * back-off ({@link ConsumerRetry}), and catches up when it is back. Delivery is at least once (a redelivered event
 * repeats the same run ids). Unless a URL or topic is configured the channel does not run at all
 * ({@link io.dataline.dataset.openlineage.LineageChannelSwitch}); enabled by hand without either, it acknowledges every
 * record at once.
 */
@ApplicationScoped
public class OpenLineageConsumer {

    public static final String CHANNEL = "openlineage";

    @Inject
    LineageRunEvents events;

    @Inject
    LineageTransport transport;

    @Inject
    ConsumerRetry retry;

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> publish(Message<PipelineEvent> message) {
        if (!transport.enabled()) {
            return message.ack();
        }
        return retry.settle(message, event -> {
            try {
                for (RunEvent runEvent : events.of(event)) {
                    transport.send(runEvent);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
