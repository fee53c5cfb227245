package io.dataline.training.messaging;

import io.dataline.events.ModelPromotedEvent;
import io.dataline.training.service.StagingFollower;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Follows {@code model.promoted} to know which version of each model is in staging (the baseline new candidates are
 * evaluated against). Idempotent by nature; unreadable records go to {@code model.promoted.training-orchestrator.dlq}.
 */
@ApplicationScoped
public class ModelPromotedConsumer {

    public static final String CHANNEL = "model-promoted";

    @Inject
    StagingFollower staging;

    @Incoming(CHANNEL)
    @Blocking
    public void consume(ModelPromotedEvent event) {
        staging.promoted(event);
    }
}
