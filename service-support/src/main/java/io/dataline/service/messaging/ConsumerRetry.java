package io.dataline.service.messaging;

import io.dataline.events.PipelineEvent;
import io.dataline.service.SharedSettings;
import io.dataline.service.UnprocessableEventException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * How every consumer treats a failure, written once: a message that can never succeed
 * ({@link UnprocessableEventException}: it names a dataset, version or revision that does not exist) fails at once
 * and goes to the channel's dead-letter topic; any other failure (dataset-service, the database or the broker away)
 * is retried in place with exponential back-off and jitter ({@code dataline.consumer.retry.*}: 6 retries from 0.5 s
 * doubling to 10 s), and only after the last retry fails the message.
 */
@ApplicationScoped
public class ConsumerRetry {

    private static final Logger LOG = Logger.getLogger(ConsumerRetry.class);

    private final SharedSettings.Retry settings;

    ConsumerRetry(SharedSettings settings) {
        this.settings = settings.consumer().retry();
    }

    /** Runs {@code work} for {@code event}, retrying what can pass later; its result, or the last failure thrown. */
    public <T> T run(PipelineEvent event, Supplier<T> work) {
        long delay = settings.initialDelay().toMillis();
        for (int attempt = 0;; attempt++) {
            try {
                return work.get();
            } catch (UnprocessableEventException e) {
                throw e;
            } catch (RuntimeException e) {
                if (attempt >= settings.maxRetries()) {
                    throw e;
                }
                LOG.debugf("event %s on attempt %d: %s; retrying in %d ms", event.eventId(), attempt + 1, e.getMessage(), delay);
                sleep(delay + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
                delay = Math.min(delay * 2, settings.maxDelay().toMillis());
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
