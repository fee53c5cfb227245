package io.dataline.deploy.messaging;

import io.dataline.deploy.service.PromotionService;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.outbox.Traceparents;
import io.dataline.service.messaging.ConsumerRetry;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes {@code model.registered} and decides each version's promotion once. dataset-service,
 * training-orchestrator or the database away: retried with back-off until they are back ({@link ConsumerRetry});
 * an event naming something that does not exist, or a record that cannot be read, goes to
 * {@code model.registered.deploy-service.dlq} at once.
 */
@ApplicationScoped
public class ModelRegisteredConsumer {

    public static final String CHANNEL = "model-registered";

    private static final Logger LOG = Logger.getLogger(ModelRegisteredConsumer.class);

    @Inject
    PromotionService promotions;

    @Inject
    ConsumerRetry retry;

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(Message<ModelRegisteredEvent> message) {
        return retry.settle(message, event -> promotions.onRegistered(event, Traceparents.current()).ifPresentOrElse(
                outcome -> LOG.infof("%s v%d %s", event.model(), event.modelVersion(), outcome.promoted() ? "promoted to staging"
                        : "rejected: " + outcome.reason()),
                () -> LOG.debugf("duplicate ignored: event %s", event.eventId())));
    }
}
