package io.dataline.service.messaging;

import io.dataline.events.PipelineEvent;
import io.dataline.service.UnprocessableEventException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * The one consumer of every service: the channel {@value #CHANNEL} reads the topics the service names in
 * {@code mp.messaging.incoming.pipeline.topics} (one Kafka consumer in the group {@code group.id}, so the group does not
 * rebalance as members join one by one) and hands each event to the service's {@link EventHandler} beans for its type,
 * settled by {@link ConsumerRetry}: retried while what it needs is away, dead-lettered to
 * {@code <topic>.<service>.dlq} when it can never succeed. An event no handler takes (a topic configured by mistake)
 * is such a message. Events are handled one at a time, in order per partition.
 */
@ApplicationScoped
public class PipelineConsumer {

    public static final String CHANNEL = "pipeline";

    private static final Logger LOG = Logger.getLogger(PipelineConsumer.class);

    private final ConsumerRetry retry;
    private final Routes routes = new Routes();

    PipelineConsumer(ConsumerRetry retry, @Any Instance<EventHandler<?>> handlers) {
        this.retry = retry;
        for (Instance.Handle<EventHandler<?>> handler : handlers.handles()) {
            Class<? extends PipelineEvent> type = handledType(handler.getBean().getTypes());
            routes.add(type, handler.get());
            LOG.debugf("%s handles %s", handler.getBean().getBeanClass().getSimpleName(), type.getSimpleName());
        }
    }

    @Incoming(CHANNEL)
    @Blocking
    public CompletionStage<Void> consume(Message<PipelineEvent> message) {
        return retry.settle(message, routes::dispatch);
    }

    /** The {@code E} of the {@code EventHandler<E>} among a bean's types. */
    static Class<? extends PipelineEvent> handledType(Iterable<Type> beanTypes) {
        for (Type type : beanTypes) {
            if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == EventHandler.class
                    && parameterized.getActualTypeArguments()[0] instanceof Class<?> event) {
                return event.asSubclass(PipelineEvent.class);
            }
        }
        throw new IllegalStateException("an EventHandler bean must name its event type, e.g. EventHandler<DatasetCommittedEvent>: " + beanTypes);
    }

    /** Which handlers take which events. */
    static final class Routes {

        private final List<Route<?>> routes = new ArrayList<>();

        <E extends PipelineEvent> void add(Class<E> type, EventHandler<?> handler) {
            routes.add(new Route<>(type, handler));
        }

        /** Runs every handler of the event's type (or a supertype), in the order they were added. */
        void dispatch(PipelineEvent event) {
            boolean handled = false;
            for (Route<?> route : routes) {
                handled |= route.offer(event);
            }
            if (!handled) {
                throw new UnprocessableEventException("this service has no handler for " + event.getClass().getSimpleName()
                        + " (is its topic in mp.messaging.incoming." + CHANNEL + ".topics by mistake?)");
            }
        }
    }

    private record Route<E extends PipelineEvent>(Class<E> type, EventHandler<?> handler) {

        @SuppressWarnings("unchecked")
        boolean offer(PipelineEvent event) {
            if (!type.isInstance(event)) {
                return false;
            }
            ((EventHandler<E>) handler).handle(type.cast(event));
            return true;
        }
    }
}
