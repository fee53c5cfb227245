package io.dataline.testsupport;

import io.dataline.events.PipelineEvent;
import io.dataline.events.kafka.EventSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a test (or an ops person with a console client) does to topics from outside a service: publish events through
 * the same serializer the services use, publish raw bytes, and read every record of a topic from the beginning.
 */
public final class TopicClient implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, PipelineEvent> events;
    private final KafkaProducer<String, byte[]> raw;

    /** A client on {@code bootstrapServers}; {@code registryUrl} (may be null) makes events go through the registry. */
    public TopicClient(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        if (registryUrl != null) {
            config.put("apicurio.registry.url", registryUrl);
        }
        EventSerializer serializer = new EventSerializer();
        serializer.configure(config, false); // Kafka does not configure serde instances handed to it
        this.events = new KafkaProducer<>(config, new StringSerializer(), serializer);
        this.raw = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Publishes an event keyed by its dataset name, waits for the broker's acknowledgement. */
    public RecordMetadata publish(String topic, PipelineEvent event) {
        return publish(topic, event, Map.of());
    }

    /** Publishes an event with extra record headers (e.g. a W3C {@code traceparent}). */
    public RecordMetadata publish(String topic, PipelineEvent event, Map<String, String> headers) {
        ProducerRecord<String, PipelineEvent> record = new ProducerRecord<>(topic, event.dataset(), event);
        headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return await(events.send(record));
    }

    /** Publishes raw bytes (e.g. a poison message) with the given key. */
    public RecordMetadata publishRaw(String topic, String key, byte[] value) {
        return await(raw.send(new ProducerRecord<>(topic, key, value)));
    }

    /** Publishes a raw record as given (key, value and headers). */
    public RecordMetadata publishRaw(ProducerRecord<String, byte[]> record) {
        return await(raw.send(record));
    }

    /**
     * Reads {@code topic} from the beginning until {@code count} records match {@code filter}, or fails after
     * {@code timeout}.
     */
    public List<ConsumerRecord<String, byte[]>> read(String topic, int count, Predicate<ConsumerRecord<String, byte[]>> filter,
            Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, byte[]>> matching = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (matching.size() < count) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + matching.size() + " of " + count + " expected records on " + topic
                            + " within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (filter.test(record)) {
                        matching.add(record);
                    }
                });
            }
        }
        return matching;
    }

    /** The last value of a record header as UTF-8 text, or null. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static RecordMetadata await(java.util.concurrent.Future<RecordMetadata> sent) {
        try {
            return sent.get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publish failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        events.close(Duration.ofSeconds(5));
        raw.close(Duration.ofSeconds(5));
    }
}
