package io.dataline.dataset.openlineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.dataset.messaging.OpenLineageConsumer;
import io.dataline.events.Topics;
import io.dataline.testsupport.SampleEvents;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * With OpenLineage off (this profile configures no catalog and no topic) its channel runs no consumer, and the group's
 * offsets are kept at the end of the pipeline topics — so lineage turned on later does not publish the history — but
 * never while the group has a member that consumes.
 */
@QuarkusTest
class IdleLineageOffsetsTest {

    private static final String GROUP = "dataset-service-openlineage";

    @Inject
    IdleLineageOffsets offsets;

    @Inject
    KafkaClientService clients;

    @Inject
    TopicClient topics;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
        }
    }

    private static Long offsetOf(Map<TopicPartition, OffsetAndMetadata> committed, TopicPartition partition) {
        OffsetAndMetadata at = committed.get(partition);
        return at == null ? null : at.offset();
    }

    @Test
    void offMeansNoConsumerAndOffsetsAtTheEnd() throws Exception {
        assertThat(clients.getConsumer(OpenLineageConsumer.CHANNEL)).isNull();

        RecordMetadata written = topics.publish(Topics.DATASET_COMMITTED, SampleEvents.committed("idle-" + UUID.randomUUID()));
        TopicPartition partition = new TopicPartition(written.topic(), written.partition());
        // a member left by another test class's application (static membership) is expired after the session timeout
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> offsets.advance() >= 0);

        long moved = committed().get(partition).offset();
        assertThat(moved).isGreaterThan(written.offset());
        // again: never backwards (the service's own outbox may have published more meanwhile, so this may move it on)
        assertThat(offsets.advance()).isGreaterThanOrEqualTo(0);
        assertThat(committed().get(partition).offset()).isGreaterThanOrEqualTo(moved);
    }

    @Test
    void aGroupWithAMemberIsNotMoved() throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<String, byte[]> member = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            member.subscribe(List.of(Topics.DATASET_COMMITTED));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                member.poll(Duration.ofMillis(200));
                return !member.assignment().isEmpty();
            });
            Map<TopicPartition, OffsetAndMetadata> before = committed();
            RecordMetadata written = topics.publish(Topics.DATASET_COMMITTED, SampleEvents.committed("busy-" + UUID.randomUUID()));
            TopicPartition partition = new TopicPartition(written.topic(), written.partition());

            assertThat(offsets.advance()).isEqualTo(-1);
            assertThat(offsetOf(committed(), partition)).isEqualTo(offsetOf(before, partition)).isNotEqualTo(written.offset() + 1);
        }
    }
}
