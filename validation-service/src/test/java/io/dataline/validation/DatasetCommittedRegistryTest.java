package io.dataline.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.RequiresSchemaRegistry;
import io.dataline.testsupport.TopicClient;
import io.dataline.testsupport.WithSchemaRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Covers the round trip through the Apicurio Registry (runs only when {@code APICURIO_REGISTRY_URL} is set): the real
 * dataset-service publishes a commit with the registry serde, its schema id travels in the record headers while the
 * value stays plain JSON, this service reads it with the writer's schema, validates it and publishes
 * {@code dataset.validated} through the registry too; a record naming a schema the registry does not know goes to
 * the DLQ and the next good commit is still handled.
 */
@QuarkusTest
@TestProfile(WithSchemaRegistry.class)
@RequiresSchemaRegistry
class DatasetCommittedRegistryTest {

    @Inject
    TopicClient topics;

    @Inject
    CommittedVersions stored;

    @Test
    void shouldCarryTheSchemaIdInHeadersAndStoreTheEvent() throws Exception {
        String name = DatasetServiceApi.uniqueName("Registry Round Trip");
        DatasetServiceApi.create(name, null);
        String version = DatasetServiceApi.commit(name, java.util.List.of(DatasetServiceApi.record("a", "x", "positive")), null);

        await().atMost(Duration.ofSeconds(60)).until(() -> stored.ofDataset(name).size() == 1);
        ConsumerRecord<String, byte[]> record = topics
                .read(Topics.DATASET_COMMITTED, 1, r -> name.equals(r.key()), Duration.ofSeconds(30)).get(0);
        assertThat(record.headers().lastHeader("apicurio.value.contentId")).isNotNull();
        assertThat(EventJson.mapper().readTree(record.value()).get("dataVersion").asText()).isEqualTo(version);
        ConsumerRecord<String, byte[]> validated = topics
                .read(Topics.DATASET_VALIDATED, 1, r -> name.equals(r.key()), Duration.ofSeconds(60)).get(0);
        assertThat(validated.headers().lastHeader("apicurio.value.contentId")).isNotNull();
    }

    @Test
    void shouldDeadLetterARecordWhoseSchemaIdIsUnknownAndKeepConsuming() {
        String dataset = DatasetServiceApi.uniqueName("Registry Poison");
        DatasetServiceApi.create(dataset, null);
        ProducerRecord<String, byte[]> unknownSchema = new ProducerRecord<>(Topics.DATASET_COMMITTED, dataset,
                "{\"dataset\": \"x\"}".getBytes(StandardCharsets.UTF_8));
        unknownSchema.headers().add("apicurio.value.contentId", ByteBuffer.allocate(Long.BYTES).putLong(987_654_321L).array());

        topics.publishRaw(unknownSchema);
        DatasetServiceApi.commit(dataset, java.util.List.of(DatasetServiceApi.record("a", "x", "positive")), null);

        await().atMost(Duration.ofSeconds(60)).until(() -> stored.ofDataset(dataset).size() == 1);
        ConsumerRecord<String, byte[]> dead = topics.read(DatasetCommittedDeadLetterTest.DLQ, 1, r -> dataset.equals(r.key()),
                Duration.ofSeconds(30)).get(0);
        assertThat(TopicClient.header(dead, "dead-letter-reason")).contains("through the schema registry");
    }
}
