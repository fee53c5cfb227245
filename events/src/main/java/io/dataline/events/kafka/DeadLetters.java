package io.dataline.events.kafka;

import io.dataline.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The dead-letter topics ({@code <topic>.<consumer>.dlq}) as ops use them, from the command line and the console:
 * what failed and why, and putting dead letters back on their source topic once the cause is fixed (consumers are
 * idempotent, so a replay twice does no harm). A dead letter's id is {@code partition:offset}.
 */
public final class DeadLetters {

    /** One dead letter: where it came from, why it failed, and the record itself. */
    public record Letter(String dlq, String id, Instant at, String key, String source, String sourceOffset, String reason,
            ConsumerRecord<String, byte[]> record) {
    }

    /** A dead letter put back: its id and where it went. */
    public record Replayed(String id, String source, String key) {
    }

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> client;

    public DeadLetters(String bootstrap) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** {@code client}: the Kafka client settings (bootstrap servers, TLS, ...). */
    public DeadLetters(Map<String, Object> client) {
        this.client = Map.copyOf(client);
    }

    /** The dead-letter topics of the pipeline, by name. */
    public List<String> topics() {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            return topics(consumer).stream().filter(t -> t.endsWith(Topics.DLQ_SUFFIX)).toList();
        }
    }

    /** The latest dead letters of one topic (at most {@code max} per partition) and how many it holds in all. */
    public record Latest(List<Letter> letters, long total) {
    }

    /**
     * The latest dead letters of every dead-letter topic, by topic (one consumer for all): at most {@code max} per
     * partition, oldest first, with each topic's total, so a topic of millions costs a page, not the heap.
     */
    public Map<String, Latest> latest(int max) {
        Map<String, Latest> all = new java.util.TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            for (String dlq : topics(consumer).stream().filter(t -> t.endsWith(Topics.DLQ_SUFFIX)).toList()) {
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(dlq).forEach(p -> partitions.add(new TopicPartition(dlq, p.partition())));
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long total = partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
                Map<TopicPartition, Long> from = new java.util.HashMap<>();
                partitions.forEach(p -> from.put(p, Math.max(begin.get(p), end.get(p) - max)));
                all.put(dlq, new Latest(read(consumer, partitions, from, end).stream().map(r -> letter(dlq, r)).toList(), total));
            }
        }
        return all;
    }

    /** Every dead letter of one topic, by partition and offset. */
    public List<Letter> read(String dlq) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            return readAll(consumer, dlq).stream().map(r -> letter(dlq, r)).toList();
        }
    }

    /**
     * Puts the dead letters of {@code dlq} (all, or those with the given ids) back on their source topic, without the
     * dead-letter headers and with {@code dataline-replayed-from}. Unknown topic or id: {@link IllegalArgumentException},
     * before anything is sent.
     */
    public List<Replayed> replay(String dlq, List<String> ids) throws InterruptedException {
        if (!dlq.endsWith(Topics.DLQ_SUFFIX)) {
            throw new IllegalArgumentException(dlq + " is not a dead-letter topic (they end with " + Topics.DLQ_SUFFIX + ")");
        }
        List<Replayed> replayed = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(); KafkaProducer<String, byte[]> producer = producer()) {
            if (!topics(consumer).contains(dlq)) {
                throw new IllegalArgumentException("no topic " + dlq);
            }
            List<ConsumerRecord<String, byte[]>> records = readAll(consumer, dlq);
            for (String id : ids) {
                if (records.stream().noneMatch(r -> id.equals(r.partition() + ":" + r.offset()))) {
                    throw new IllegalArgumentException("no dead letter " + id + " on " + dlq);
                }
            }
            for (ConsumerRecord<String, byte[]> record : records) {
                Letter letter = letter(dlq, record);
                if (!ids.isEmpty() && !ids.contains(letter.id())) {
                    continue;
                }
                ProducerRecord<String, byte[]> back = new ProducerRecord<>(letter.source(), record.key(), record.value());
                for (Header header : record.headers()) {
                    if (!header.key().startsWith("dead-letter-") && !header.key().startsWith("deserialization-failure-")) {
                        back.headers().add(header);
                    }
                }
                back.headers().add("dataline-replayed-from", (dlq + ":" + letter.id()).getBytes(StandardCharsets.UTF_8));
                producer.send(back).get(30, TimeUnit.SECONDS);
                replayed.add(new Replayed(letter.id(), letter.source(), record.key()));
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("replay failed: " + e.getMessage(), e);
        }
        return replayed;
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Letter letter(String dlq, ConsumerRecord<String, byte[]> record) {
        String source = header(record, "dead-letter-topic");
        if (source == null) { // <topic>.<consumer>.dlq
            source = dlq.substring(0, dlq.lastIndexOf('.', dlq.length() - Topics.DLQ_SUFFIX.length() - 1));
        }
        return new Letter(dlq, record.partition() + ":" + record.offset(), Instant.ofEpochMilli(record.timestamp()), record.key(), source,
                header(record, "dead-letter-offset"), header(record, "dead-letter-reason"), record);
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        return read(consumer, partitions, consumer.beginningOffsets(partitions), consumer.endOffsets(partitions));
    }

    /** The records of the partitions from the given offsets up to the end offsets, by partition and offset. */
    private static List<ConsumerRecord<String, byte[]>> read(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> from, Map<TopicPartition, Long> end) {
        consumer.assign(partitions);
        from.forEach(consumer::seek);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            consumer.poll(POLL).forEach(r -> {
                if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                    records.add(r);
                }
            });
        }
        records.sort(Comparator.comparingInt(ConsumerRecord<String, byte[]>::partition).thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    private static Set<String> topics(KafkaConsumer<String, byte[]> consumer) {
        Set<String> names = new TreeSet<>();
        consumer.listTopics(Duration.ofSeconds(10)).keySet().stream().filter(t -> TopicTail.PIPELINE_TOPICS.matcher(t).matches()).forEach(names::add);
        return names;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(TopicTail.readerConfig(client, "dataline-ops-"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> config = new java.util.HashMap<>(client);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
