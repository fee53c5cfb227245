package io.dataline.training.messaging;

import io.dataline.events.ModelPromotedEvent;
import io.dataline.training.service.StagingFollower;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.dataline.service.messaging.ConsumerRetry;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Follows {@code model.promoted} to know which version of each model is in staging (the baseline new candidates are
 * evaluated against). Idempotent by nature; a database outage is retried ({@link ConsumerRetry}), so the baseline
 * never goes stale for want of a retry; unreadable records go to {@code model.promoted.training-orchestrator.dlq}.
 */
@ApplicationScoped
public class ModelPromotedConsumer {

    public static final String CHANNEL = "model-promoted";

    @Inject
    StagingFollower staging;

    @Inject
    ConsumerRetry retry;

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(Message<ModelPromotedEvent> message) {
        return retry.settle(message, staging::promoted);
    }
}
