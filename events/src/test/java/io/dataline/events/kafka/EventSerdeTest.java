package io.dataline.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Covers the serdes without a schema registry: plain JSON out and back, an invalid event refused at once with its
 * pointer, an event on the wrong topic refused, and each kind of poison record (not JSON, wrong shape, empty, unknown
 * topic) rejected with a readable reason. The registry path is covered by the services' round-trip tests.
 */
class EventSerdeTest {

    private final EventSerializer serializer = new EventSerializer();
    private final EventDeserializer deserializer = new EventDeserializer();

    EventSerdeTest() {
        serializer.configure(Map.of(), false);
        deserializer.configure(Map.of(), false);
    }

    @AfterEach
    void close() {
        serializer.close();
        deserializer.close();
    }

    @Test
    void shouldWritePlainJsonAndReadItBack() throws Exception {
        DatasetCommittedEvent event = committed("ingest-bot");

        byte[] bytes = serializer.serialize(Topics.DATASET_COMMITTED, new RecordHeaders(), event);

        assertThat(serializer.usesRegistry()).isFalse();
        assertThat(EventJson.mapper().readTree(bytes).get("dataset").asText()).isEqualTo("Customer Feedback Analysis");
        assertThat(deserializer.deserialize(Topics.DATASET_COMMITTED, new RecordHeaders(), bytes)).isEqualTo(event);
    }

    @Test
    void shouldRefuseAnEventThatBreaksItsSchema() {
        assertThatThrownBy(() -> serializer.serialize(Topics.DATASET_COMMITTED, new RecordHeaders(), committed("")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("/author");
    }

    @Test
    void shouldRefuseAnEventOnAnotherEventsTopic() {
        assertThatThrownBy(() -> serializer.serialize(Topics.MODEL_PROMOTED, new RecordHeaders(), committed("bot")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("does not belong on topic model.promoted");
    }

    @Test
    void shouldReadARecordFramedWithARegistryIdWhenNoRegistryIsConfigured() {
        DatasetCommittedEvent event = committed("bot");
        byte[] json = serializer.serialize(Topics.DATASET_COMMITTED, new RecordHeaders(), event);
        byte[] framed = new byte[json.length + 5];
        framed[4] = 7;
        System.arraycopy(json, 0, framed, 5, json.length);

        assertThat(deserializer.deserialize(Topics.DATASET_COMMITTED, new RecordHeaders(), framed)).isEqualTo(event);
    }

    @Test
    void shouldRejectPoisonRecordsWithAReason() {
        assertThatThrownBy(() -> read(Topics.DATASET_COMMITTED, "{not json"))
                .isInstanceOf(SerializationException.class).hasMessageStartingWith("not JSON on dataset.committed");
        assertThatThrownBy(() -> read(Topics.DATASET_COMMITTED, "{\"dataset\": 42}"))
                .isInstanceOf(SerializationException.class).hasMessageContaining("breaks its schema").hasMessageContaining("/dataset");
        assertThatThrownBy(() -> read(Topics.DATASET_COMMITTED, ""))
                .isInstanceOf(SerializationException.class).hasMessageStartingWith("empty record value");
        assertThatThrownBy(() -> read("somewhere.else", "{}"))
                .isInstanceOf(SerializationException.class).hasMessageContaining("no event contract for topic somewhere.else");
    }

    @Test
    void shouldReadEventsWithNullableFieldsEmpty() {
        ModelPromotedEvent event = new ModelPromotedEvent(UUID.randomUUID(), Instant.now(), "Iris", "iris",
                "a".repeat(64), UUID.randomUUID(), "deploy-service", "iris", 1, null, "staging", false, List.of());

        byte[] bytes = serializer.serialize(Topics.MODEL_PROMOTED, new RecordHeaders(), event);

        assertThat(deserializer.deserialize(Topics.MODEL_PROMOTED, new RecordHeaders(), bytes)).isEqualTo(event);
    }

    private Object read(String topic, String value) {
        return deserializer.deserialize(topic, new RecordHeaders(), value.getBytes(StandardCharsets.UTF_8));
    }

    private static DatasetCommittedEvent committed(String author) {
        Instant at = Instant.parse("2026-11-26T08:00:00Z");
        return new DatasetCommittedEvent(UUID.randomUUID(), at, "Customer Feedback Analysis", "customer-feedback-analysis",
                "b".repeat(64), null, "dataset-service", "c".repeat(64), null, "first commit", author, at, 2, 2, 0, 0, 1, null);
    }
}
