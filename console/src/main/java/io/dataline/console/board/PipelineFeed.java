package io.dataline.console.board;

import io.dataline.events.kafka.TopicTail;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import io.smallrye.common.annotation.Identifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Follows every pipeline topic and dead-letter topic from its end and hands each record to the listeners (the live
 * board's open streams). Every console replica reads every record: no consumer group, no committed offsets, nothing
 * to lose; a replica that restarts shows the present from the services' APIs and goes on live from there.
 */
@ApplicationScoped
public class PipelineFeed {

    private static final Logger LOG = Logger.getLogger(PipelineFeed.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * A person watches the board, no stage waits for it: the broker may gather the pipeline's events for up to 100 ms
     * (or 64 KiB) before it answers the feed's fetch, instead of one fetch request per event, ~5 per commit.
     */
    private static final int FETCH_MAX_WAIT_MS = 100;
    private static final int FETCH_MIN_BYTES = 65536;

    private final Map<String, Object> kafka;
    private final List<Consumer<FeedEvent>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private volatile TopicTail tail;
    private Thread thread;

    PipelineFeed(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.kafka = new HashMap<>(kafka);
        this.kafka.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
        this.kafka.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, FETCH_MIN_BYTES);
    }

    /** The settings the feed's consumer is made with: the shared client's, plus the fetch gathering above. */
    Map<String, Object> consumerSettings() {
        return Map.copyOf(kafka);
    }

    void start(@Observes StartupEvent started) {
        running = true;
        thread = new Thread(this::run, "console-pipeline-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent stopping) throws InterruptedException {
        running = false;
        TopicTail current = tail;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    public void listen(Consumer<FeedEvent> listener) {
        listeners.add(listener);
    }

    public void unlisten(Consumer<FeedEvent> listener) {
        listeners.remove(listener);
    }

    private void run() {
        while (running) {
            try (TopicTail following = new TopicTail(kafka, TopicTail.PIPELINE_TOPICS, false)) {
                tail = following;
                while (running) {
                    following.poll(POLL).forEach(record -> deliver(FeedEvent.of(record)));
                }
            } catch (WakeupException | InterruptedException stopping) {
                return;
            } catch (RuntimeException e) { // the broker went away: the board goes on once it is back
                LOG.warnf("pipeline topics unreadable (%s); retrying in 2 s", e.getMessage());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void deliver(FeedEvent event) {
        for (Consumer<FeedEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.debugf(e, "a board stream failed on an event");
            }
        }
    }
}
