package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Watches the pipeline topics the way an ops person would, from the end: records when (this JVM's monotonic clock)
 * each event of each version arrived, and how many times each topic carried it, so hops, totals and "exactly once"
 * come from what really crossed the broker.
 */
public final class PipelineWatcher implements AutoCloseable {

    /** The topics a version's story is read from (every pipeline topic but {@code training.run-started}). */
    static final List<String> TOPICS = Topics.PIPELINE.stream().filter(t -> !t.equals(Topics.TRAINING_RUN_STARTED)).toList();
    /** The topics that end a version's pipeline. */
    static final List<String> TERMINAL = List.of(Topics.DATASET_VALIDATION_FAILED, Topics.TRAINING_RUN_FAILED, Topics.MODEL_PROMOTED,
            Topics.MODEL_PROMOTION_REJECTED, Topics.MODEL_CANDIDATE_EVALUATED);

    /** Arrival times (nanoTime) per topic of one version, in arrival order. */
    public static final class Timeline {
        private final Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
        private volatile String runId;
        /** The longest a waiter sleeps before it looks again without being woken: only a safety net. */
        private final long recheckNanos;

        public Timeline() {
            this(TimeUnit.SECONDS.toNanos(1));
        }

        Timeline(long recheckNanos) {
            this.recheckNanos = recheckNanos;
        }

        /** The training run that registered this version's model ({@code runId} of its {@code model.registered}), if any. */
        public String runId() {
            return runId;
        }

        void add(String topic, long at) {
            arrivals.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(at);
            wake();
        }

        synchronized void wake() {
            notifyAll();
        }

        /**
         * Waits until an event of the version arrived on one of {@code topics} (true) or {@code deadline} ({@code nanoTime})
         * passed (false), throwing what {@code failure} gives once it gives something. The waiting thread sleeps until an
         * arrival of this version wakes it: the throughput suite's twenty waiting workers slept 2 ms at a time before,
         * ~10,000 wake-ups a second on the two cores the pipeline they measure runs on.
         */
        boolean await(List<String> topics, long deadline, Supplier<RuntimeException> failure) throws InterruptedException {
            synchronized (this) {
                while (topics.stream().allMatch(topic -> first(topic) == null)) {
                    RuntimeException failed = failure.get();
                    if (failed != null) {
                        throw failed;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    // add() and a failing watcher wake it
                    TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, recheckNanos));
                }
                return true;
            }
        }

        public Long first(String topic) {
            List<Long> times = arrivals.get(topic);
            return times == null || times.isEmpty() ? null : times.get(0);
        }

        public int count(String topic) {
            List<Long> times = arrivals.get(topic);
            return times == null ? 0 : times.size();
        }

        /** The terminal topic this version reached first, if any. */
        public String terminal() {
            String first = null;
            long at = Long.MAX_VALUE;
            for (String topic : TERMINAL) {
                Long t = first(topic);
                if (t != null && t < at) {
                    first = topic;
                    at = t;
                }
            }
            return first;
        }

        public int terminalCount() {
            return TERMINAL.stream().mapToInt(this::count).sum();
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Timeline> versions = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile RuntimeException failure;

    public PipelineWatcher(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dataline-bench-watcher");
        consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : TOPICS) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolve "end" now, so nothing published from here on is missed
        thread = new Thread(this::poll, "bench-pipeline-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    long at = System.nanoTime();
                    try {
                        JsonNode event = Api.JSON.readTree(record.value());
                        String version = event.path("dataVersion").asText(null);
                        if (version != null) {
                            Timeline timeline = versions.computeIfAbsent(version, v -> new Timeline());
                            if (record.topic().equals(Topics.MODEL_REGISTERED) && event.path("runId").isTextual()) {
                                timeline.runId = event.path("runId").asText(); // before the arrival: whoever sees it sees the run
                            }
                            timeline.add(record.topic(), at);
                        }
                    } catch (java.io.IOException | RuntimeException notAnEvent) {
                        // not ours to judge: the services' own DLQs take care of poison records
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
            versions.values().forEach(Timeline::wake);
        } finally {
            consumer.close();
        }
    }

    public Timeline timeline(String version) {
        return versions.computeIfAbsent(version, v -> new Timeline());
    }

    /** The topics that end a version's validation (the whole pipeline of a dataset without a training spec). */
    static final List<String> VALIDATION_ENDED = List.of(Topics.DATASET_VALIDATED, Topics.DATASET_VALIDATION_FAILED);

    /** Waits until the version reached a terminal topic; false on timeout. */
    public boolean awaitTerminal(String version, Duration timeout) throws InterruptedException {
        return awaitAny(version, TERMINAL, timeout);
    }

    /**
     * Waits until the version was validated, so what a suite times next does not share the cores with validating it;
     * answers when (nanoTime) its {@code dataset.validated} arrived. Fails on a timeout or a failed validation.
     */
    public long awaitValidated(String version, Duration timeout) throws InterruptedException {
        if (!awaitAny(version, VALIDATION_ENDED, timeout)) {
            throw new IllegalStateException("version " + version + " was not validated within " + timeout.toMinutes() + " minutes");
        }
        Long at = timeline(version).first(Topics.DATASET_VALIDATED);
        if (at == null) {
            throw new IllegalStateException("version " + version + " failed validation; the bench's records are valid");
        }
        return at;
    }

    /** Waits until the version's event arrived on one of the topics; false on timeout. */
    public boolean awaitAny(String version, List<String> topics, Duration timeout) throws InterruptedException {
        return timeline(version).await(topics, System.nanoTime() + timeout.toNanos(), () -> failure);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join(10_000);
    }
}
