package io.dataline.dataset.messaging;

import io.dataline.dataset.service.LineageService;
import io.dataline.events.PipelineEvent;
import io.dataline.service.messaging.ConsumerRetry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Projects every pipeline topic into the lineage view: one channel reading the eight topics (one consumer, so the
 * group does not rebalance as members join one by one), each record's failures on {@code <topic>.dataset-service.dlq};
 * redeliveries are no-ops, and what is in flight when the service stops is delivered again after the restart.
 */
@ApplicationScoped
public class LineageConsumer {

    public static final String CHANNEL = "lineage";

    @Inject
    LineageService lineage;

    @Inject
    ConsumerRetry retry;

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> project(Message<PipelineEvent> message) {
        return retry.settle(message, lineage::record);
    }
}
