package io.dataline.bench;

import io.dataline.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** How many records each dead-letter topic ({@code *.dlq}) holds, read from the broker's offsets. */
final class DeadLetters {

    private DeadLetters() {
    }

    static Map<String, Long> count(String bootstrap) throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<String, Long> counts = new TreeMap<>();
        List<String> topics;
        try (Admin admin = Admin.create(props)) {
            topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().filter(t -> t.endsWith(Topics.DLQ_SUFFIX)).sorted().toList();
        }
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            for (String topic : topics) {
                List<TopicPartition> partitions = new ArrayList<>();
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
                Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
                counts.put(topic, partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum());
            }
        }
        return counts;
    }

    /** What each topic gained between two counts (topics that gained nothing are left out). */
    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> gained = new TreeMap<>();
        after.forEach((topic, n) -> {
            long more = n - before.getOrDefault(topic, 0L);
            if (more != 0) {
                gained.put(topic, more);
            }
        });
        return gained;
    }
}
