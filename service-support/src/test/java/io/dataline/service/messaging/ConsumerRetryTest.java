package io.dataline.service.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.service.DatasetServiceUnavailableException;
import io.dataline.service.SharedSettings;
import io.dataline.service.UnprocessableEventException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.reactive.messaging.Message;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Covers how a consumer settles a message: acknowledged after success; dead-lettered at once when it can never
 * succeed; a transient failure retried past any count until it passes, never dead-lettered; an unexpected one
 * dead-lettered after the retries; and nothing settled while the service stops, so the message comes again.
 */
class ConsumerRetryTest {

    private final ConsumerRetry retry = new ConsumerRetry(settings(3, Duration.ofMillis(1), Duration.ofMillis(4)));
    private final Settled settled = new Settled();

    /** Settles a message whose work always throws {@code failure}: how many times the work ran. */
    private int attemptsAlwaysFailing(RuntimeException failure) {
        AtomicInteger attempts = new AtomicInteger();
        retry.settle(settled.message("e"), e -> {
            attempts.incrementAndGet();
            throw failure;
        });
        return attempts.get();
    }

    @Test
    void shouldAcknowledgeWhatSucceeds() {
        retry.settle(settled.message("e"), e -> { });
        assertThat(settled.outcomes).containsExactly("ack");
    }

    /** What can never succeed: dead-lettered at once; an unexpected failure (a defect): after the retries (3 here). */
    @ParameterizedTest
    @MethodSource("deadLettered")
    void shouldDeadLetterWhatCanNeverSucceedAtOnceAndAnUnexpectedFailureAfterTheRetries(RuntimeException failure, int attempts) {
        assertThat(attemptsAlwaysFailing(failure)).isEqualTo(attempts);
        assertThat(settled.outcomes).containsExactly("nack: " + failure.getMessage());
    }

    static Stream<Arguments> deadLettered() {
        return Stream.of(Arguments.of(new UnprocessableEventException("dataset x does not exist"), 1),
                Arguments.of(new IllegalArgumentException("a defect"), 4));
    }

    @Test
    void shouldRetryATransientFailureForAsLongAsItLastsAndNeverDeadLetterIt() {
        AtomicInteger attempts = new AtomicInteger();
        retry.settle(settled.message("e"), e -> {
            if (attempts.incrementAndGet() <= 20) { // far past max-retries (3)
                throw new IllegalStateException("wrapped", new DatasetServiceUnavailableException("dataset-service is unreachable", null));
            }
        });
        assertThat(attempts).hasValue(21);
        assertThat(settled.outcomes).containsExactly("ack");
    }

    @Test
    void shouldSettleNothingWhenThePersistenceLayerClosesUnderAStoppingService() {
        CompletionStage<Void> done = retry.settle(settled.message("e"), e -> {
            retry.stopping(); // what the shutdown observer does, just before Hibernate closes
            throw new IllegalStateException("EntityManagerFactory is closed");
        });
        assertThat(done.toCompletableFuture()).isCompleted();
        assertThat(settled.outcomes).isEmpty();
    }

    @Test
    void shouldLeaveATransientFailureUnsettledWhenTheServiceStopsDuringTheBackOff() throws Exception {
        ConsumerRetry slow = new ConsumerRetry(settings(3, Duration.ofSeconds(30), Duration.ofSeconds(30)));
        CompletableFuture<CompletionStage<Void>> running = CompletableFuture.supplyAsync(() -> slow.settle(settled.message("e"), e -> {
            throw new DatasetServiceUnavailableException("dataset-service answered 503", null);
        }));
        Thread.sleep(200);
        slow.stopping();
        assertThat(running.get().toCompletableFuture()).isCompleted();
        assertThat(settled.outcomes).isEmpty();
    }

    @Test
    void shouldNotStartWorkOnceStopping() {
        retry.stopping();
        AtomicInteger attempts = new AtomicInteger();
        retry.settle(settled.message("e"), e -> attempts.incrementAndGet());
        assertThat(attempts).hasValue(0);
        assertThat(settled.outcomes).isEmpty();
    }

    /** Records how each message was settled. */
    static final class Settled {
        final List<String> outcomes = new ArrayList<>();

        Message<String> message(String payload) {
            return Message.of(payload, () -> {
                outcomes.add("ack");
                return CompletableFuture.completedFuture(null);
            }, failure -> {
                outcomes.add("nack: " + failure.getMessage());
                return CompletableFuture.completedFuture(null);
            });
        }
    }

    static SharedSettings settings(int maxRetries, Duration initial, Duration max) {
        SharedSettings.Retry retry = new SharedSettings.Retry() {
            @Override
            public int maxRetries() {
                return maxRetries;
            }

            @Override
            public Duration initialDelay() {
                return initial;
            }

            @Override
            public Duration maxDelay() {
                return max;
            }
        };
        SharedSettings.Consumer consumer = () -> retry;
        return (SharedSettings) Proxy.newProxyInstance(SharedSettings.class.getClassLoader(), new Class<?>[] {SharedSettings.class},
                (proxy, method, args) -> "consumer".equals(method.getName()) ? consumer : null);
    }
}
