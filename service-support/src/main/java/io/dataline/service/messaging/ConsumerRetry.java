package io.dataline.service.messaging;

import io.dataline.service.SharedSettings;
import io.dataline.service.UnprocessableEventException;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.DeserializationFailureHandler;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * How every consumer settles a message, written once. The work runs under the message's trace; then:
 * <ul>
 * <li>it succeeded: the message is acknowledged;</li>
 * <li>the record could not be read (no payload: the deserializer refused it): nacked at once with the
 * deserializer's reason;</li>
 * <li>{@link Failures.Kind#PERMANENT}: nacked at once, so the channel's failure strategy ({@link PerTopicDeadLetters})
 * puts it on {@code <topic>.<service>.dlq} with the reason;</li>
 * <li>{@link Failures.Kind#TRANSIENT}: retried in place with exponential back-off and jitter
 * ({@code dataline.consumer.retry.initial-delay} doubling to {@code max-delay}) until it passes; never dead-lettered;</li>
 * <li>{@link Failures.Kind#UNKNOWN}: retried {@code dataline.consumer.retry.max-retries} times, then nacked;</li>
 * <li>the service is stopping: the message is neither acknowledged nor nacked. Its offset is not committed, so it
 * is delivered again after the restart (every consumer is idempotent through the inbox). A shutdown never
 * dead-letters anything.</li>
 * </ul>
 * Consumers take the {@link Message} (manual acknowledgement) and return what {@link #settle} returns.
 */
@ApplicationScoped
public class ConsumerRetry {

    private static final Logger LOG = Logger.getLogger(ConsumerRetry.class);

    private final SharedSettings.Retry settings;
    private final CountDownLatch stopping = new CountDownLatch(1);

    ConsumerRetry(SharedSettings settings) {
        this.settings = settings.consumer().retry();
    }

    /**
     * Observed before the persistence layer and the Kafka clients close: from here on no message is settled, so what
     * is in flight stays uncommitted and comes again after the restart.
     */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        stopping();
    }

    /** The service is going down: no message is settled from now on. */
    public void stopping() {
        stopping.countDown();
    }

    public boolean isStopping() {
        return stopping.getCount() == 0;
    }

    /** Runs {@code work} on the message's payload and settles the message as the class comment says. */
    public <T> CompletionStage<Void> settle(Message<T> message, Consumer<T> work) {
        if (message.getPayload() == null) {
            return message.nack(new UnprocessableEventException(unreadable(message)));
        }
        long delay = settings.initialDelay().toMillis();
        for (int attempt = 1;; attempt++) {
            if (isStopping()) {
                return leftForRedelivery(message, null);
            }
            RuntimeException failure;
            try (Scope ignored = traceOf(message).makeCurrent()) {
                work.accept(message.getPayload());
                return message.ack();
            } catch (RuntimeException e) {
                failure = e;
            }
            Failures.Kind kind = Failures.classify(failure);
            if (isStopping()) {
                return leftForRedelivery(message, failure);
            }
            if (kind == Failures.Kind.PERMANENT || (kind == Failures.Kind.UNKNOWN && attempt > settings.maxRetries())) {
                return message.nack(failure);
            }
            long wait = delay + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
            if (attempt == 1 || attempt % 10 == 0) {
                LOG.warnf("%s failure on attempt %d (%s); retrying in %d ms", kind == Failures.Kind.TRANSIENT ? "transient" : "unexpected",
                        attempt, failure, wait);
            }
            if (awaitStop(wait)) {
                return leftForRedelivery(message, failure);
            }
            delay = Math.min(delay * 2, settings.maxDelay().toMillis());
        }
    }

    /** Why the deserializer refused the record (SmallRye keeps its reason and the original bytes in headers). */
    private static String unreadable(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(record -> record.getHeaders().lastHeader(DeserializationFailureHandler.DESERIALIZATION_FAILURE_REASON))
                .map(header -> new String(header.value(), StandardCharsets.UTF_8))
                .orElse("the record has no value");
    }

    private static Context traceOf(Message<?> message) {
        return TracingMetadata.fromMessage(message).map(TracingMetadata::getCurrentContext).orElse(Context.current());
    }

    private boolean awaitStop(long millis) {
        try {
            return stopping.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static CompletionStage<Void> leftForRedelivery(Message<?> message, RuntimeException failure) {
        LOG.infof("stopping: message left unacknowledged for redelivery after the restart%s", failure == null ? "" : " (" + failure + ")");
        return CompletableFuture.completedFuture(null);
    }
}
