package io.dataline.events.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every topic whose name matches a pattern as one timeline, without a consumer group's share of the work: every
 * partition is assigned to this reader, so each reader (a terminal's {@code watch}, each console replica) sees every
 * record. Topics that appear later are picked up within {@link #REFRESH} and read from their beginning; the topics
 * there at the start are read from their end, or from their beginning when asked. Not thread-safe (one poller).
 */
public final class TopicTail implements AutoCloseable {

    public static final Duration REFRESH = Duration.ofSeconds(2);

    /** The topics of the pipeline and the pull requests, and their dead-letter topics. */
    public static final Pattern PIPELINE_TOPICS = Pattern.compile("^(dataset|training|model|pull)\\..+");

    private final KafkaConsumer<String, byte[]> consumer;
    private final Pattern topics;
    private final boolean fromBeginning;
    private Set<String> assigned = Set.of();
    private long nextRefresh;

    public TopicTail(String bootstrap, Pattern topics, boolean fromBeginning) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), topics, fromBeginning);
    }

    /** {@code client}: the Kafka client settings (bootstrap servers, TLS, ...); the consumer's own are added to them. */
    public TopicTail(Map<String, Object> client, Pattern topics, boolean fromBeginning) {
        this.consumer = new KafkaConsumer<>(readerConfig(client, "dataline-tail-"), new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = topics;
        this.fromBeginning = fromBeginning;
    }

    /** A reader's settings: the client's, no group membership (partitions are assigned), nothing committed. */
    static Map<String, Object> readerConfig(Map<String, Object> client, String groupPrefix) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupPrefix + UUID.randomUUID()); // never joined: partitions are assigned
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    /** The next records of every followed topic, ordered by their timestamps; empty while no topic matches yet. */
    public List<ConsumerRecord<String, byte[]>> poll(Duration timeout) throws InterruptedException {
        if (System.nanoTime() - nextRefresh > 0) {
            follow(matching());
            nextRefresh = System.nanoTime() + REFRESH.toNanos();
        }
        if (assigned.isEmpty()) {
            Thread.sleep(timeout.toMillis());
            return List.of();
        }
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        consumer.poll(timeout).forEach(batch::add);
        batch.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
        return batch;
    }

    /** Interrupts a poll from another thread (it then throws {@link org.apache.kafka.common.errors.WakeupException}). */
    public void wakeup() {
        consumer.wakeup();
    }

    private Set<String> matching() {
        Set<String> names = new TreeSet<>();
        consumer.listTopics(Duration.ofSeconds(10)).keySet().stream().filter(t -> topics.matcher(t).matches()).forEach(names::add);
        return names;
    }

    private void follow(Set<String> names) {
        if (names.equals(assigned)) {
            return;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        names.forEach(topic -> consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            positions.put(partition, consumer.position(partition));
        }
        consumer.assign(partitions);
        List<TopicPartition> fresh = partitions.stream().filter(p -> !positions.containsKey(p)).toList();
        if (fromBeginning || !assigned.isEmpty()) {
            consumer.seekToBeginning(fresh); // topics that appear while following are read whole
        } else {
            consumer.seekToEnd(fresh);
        }
        positions.forEach((partition, offset) -> {
            if (partitions.contains(partition)) {
                consumer.seek(partition, offset);
            }
        });
        assigned = names;
    }

    @Override
    public void close() {
        consumer.close(java.time.Duration.ofSeconds(5));
    }
}
