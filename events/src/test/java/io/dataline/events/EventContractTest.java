package io.dataline.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Covers the contract table: every record serializes to JSON its schema accepts and reads back equal; every schema
 * is draft-07, closed, names exactly the record's components and requires the envelope; every schema carries the
 * envelope; a broken document is reported with its JSON pointer.
 */
class EventContractTest {

    private static final List<String> ENVELOPE =
            List.of("eventId", "occurredAt", "dataset", "datasetSlug", "dataVersion", "causationId", "producer");

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldSerializeAPopulatedEventThatItsSchemaAccepts(EventType type) throws Exception {
        PipelineEvent event = EventSamples.of(type);
        JsonNode json = EventJson.mapper().valueToTree(event);

        assertThat(EventSchemas.validate(type, json)).isEmpty();
        assertThat(EventJson.mapper().treeToValue(json, type.eventClass())).isEqualTo(event);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldDescribeExactlyTheRecordComponentsInTheSchema(EventType type) {
        JsonNode schema = EventSchemas.schemaDocument(type);
        List<String> components = Arrays.stream(type.eventClass().getRecordComponents()).map(c -> c.getName()).toList();
        List<String> properties = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(properties::add);
        List<String> required = new ArrayList<>();
        schema.get("required").forEach(r -> required.add(r.asText()));

        assertThat(schema.get("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.get("title").asText()).isEqualTo(type.eventClass().getSimpleName());
        assertThat(properties).containsExactlyElementsOf(components).startsWith(ENVELOPE.toArray(String[]::new));
        // Released fields are required; fields added later are optional (SchemaCompatibility forbids new required ones).
        assertThat(components).containsAll(required);
        assertThat(required).containsAll(ENVELOPE);
    }

    @Test
    void shouldReadAnEventFromBeforeBranchesAsAnEventOnMain() throws Exception {
        ObjectNode json = EventJson.mapper().valueToTree(EventSamples.of(EventType.DATASET_COMMITTED));
        json.remove("branch");

        assertThat(EventSchemas.validate(EventType.DATASET_COMMITTED, json)).isEmpty();
        DatasetCommittedEvent old = EventJson.mapper().treeToValue(json, DatasetCommittedEvent.class);
        assertThat(old.branch()).isNull();
        assertThat(old.branchOrMain()).isEqualTo(PipelineEvent.MAIN);
        assertThat(old.onMain()).isTrue();
        assertThat(EventSamples.of(EventType.DATASET_COMMITTED).onMain()).isFalse();
    }

    @Test
    void shouldReadEventsFromBeforeTheyCarriedWhatSavesAConsumerACall() throws Exception {
        ObjectNode committed = EventJson.mapper().valueToTree(EventSamples.of(EventType.DATASET_COMMITTED));
        committed.remove(List.of("schemaVersion", "treeFormat"));
        ObjectNode validated = EventJson.mapper().valueToTree(EventSamples.of(EventType.DATASET_VALIDATED));
        validated.remove(List.of("dataHash", "recordCount", "treeFormat"));
        ObjectNode registered = EventJson.mapper().valueToTree(EventSamples.of(EventType.MODEL_REGISTERED));
        registered.remove("artifactFormat");

        assertThat(EventSchemas.validate(EventType.DATASET_COMMITTED, committed)).isEmpty();
        assertThat(EventSchemas.validate(EventType.DATASET_VALIDATED, validated)).isEmpty();
        assertThat(EventSchemas.validate(EventType.MODEL_REGISTERED, registered)).isEmpty();
        DatasetCommittedEvent c = EventJson.mapper().treeToValue(committed, DatasetCommittedEvent.class);
        assertThat(c.schemaVersion()).isNull();
        assertThat(c.treeFormat()).isNull();
        DatasetValidatedEvent v = EventJson.mapper().treeToValue(validated, DatasetValidatedEvent.class);
        assertThat(v.dataHash()).isNull();
        assertThat(v.recordCount()).isNull();
        assertThat(v.treeFormat()).isNull();
        assertThat(EventJson.mapper().treeToValue(registered, ModelRegisteredEvent.class).artifactFormat()).isNull();
    }

    @Test
    void shouldRefuseAMalformedDataHashOrANonPositiveTreeFormat() {
        ObjectNode validated = EventJson.mapper().valueToTree(EventSamples.of(EventType.DATASET_VALIDATED));
        validated.put("dataHash", "../../etc/passwd");
        validated.put("treeFormat", 0);

        assertThat(EventSchemas.validate(EventType.DATASET_VALIDATED, validated)).hasSize(2);
    }

    @Test
    void shouldRefuseAHostileBranchNameOnAPullEvent() {
        ObjectNode json = EventJson.mapper().valueToTree(EventSamples.of(EventType.PULL_OPENED));
        json.put("from", "../../etc/passwd;rm");

        assertThat(EventSchemas.validate(EventType.PULL_OPENED, json)).extracting(SchemaViolation::pointer).containsExactly("/from");
    }

    @Test
    void shouldReportEachViolationWithItsPointer() {
        ObjectNode json = EventJson.mapper().valueToTree(EventSamples.of(EventType.DATASET_COMMITTED));
        json.remove("author");
        json.put("eventId", "not-a-uuid");
        json.put("recordCount", -1);
        json.put("surprise", true);

        List<SchemaViolation> violations = EventSchemas.validate(EventType.DATASET_COMMITTED, json);

        assertThat(violations).extracting(SchemaViolation::pointer)
                .containsExactlyInAnyOrder("", "", "/eventId", "/recordCount");
        assertThat(violations.toString()).contains("author").contains("surprise");
    }

    @Test
    void shouldNameTopicsAndChannelsConsistently() {
        assertThat(Arrays.stream(EventType.values()).map(EventType::topic)).containsExactlyElementsOf(Topics.ALL);
        assertThat(EventType.PULL_CHECKS_COMPLETED.channel()).isEqualTo("pull-checks-completed");
        assertThat(EventType.DATASET_COMMITTED.channel()).isEqualTo("dataset-committed");
        assertThat(EventType.MODEL_PROMOTION_REJECTED.channel()).isEqualTo("model-promotion-rejected");
        assertThat(Topics.deadLetter(Topics.DATASET_COMMITTED, "validation-service"))
                .isEqualTo("dataset.committed.validation-service.dlq");
    }
}
