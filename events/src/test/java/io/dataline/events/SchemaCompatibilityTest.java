package io.dataline.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Covers the compatibility gate of the event contracts: each schema against its released baseline
 * ({@code src/test/resources/schema-baselines/}), and each rule of {@link SchemaCompatibility} on a deliberately
 * broken copy, so the gate is known to fail when it should.
 */
class SchemaCompatibilityTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldKeepEverySchemaBackwardCompatibleWithItsBaseline(EventType type) throws IOException {
        JsonNode baseline = baseline(type);
        assertThat(SchemaCompatibility.breakingChanges(baseline, EventSchemas.schemaDocument(type)))
                .as("breaking changes of %s since its released baseline", type.topic())
                .isEmpty();
    }

    @Test
    void shouldAcceptANewOptionalPropertyAndAWidenedType() throws IOException {
        assertThat(breakingAfter(EventType.DATASET_COMMITTED, current -> {
            ((ObjectNode) current.get("properties")).putObject("tags").put("type", "array");
            ((ObjectNode) current.at("/properties/codeCommit")).putArray("type").add("string").add("null").add("integer");
            ((ObjectNode) current.at("/properties/message")).remove("minLength");
        })).isEmpty();
    }

    @Test
    void shouldReportARemovedProperty() throws IOException {
        assertThat(breakingAfter(EventType.DATASET_COMMITTED, current -> {
            ((ObjectNode) current.get("properties")).remove("author");
            removeRequired(current, "author");
        })).containsExactly("/properties/author: property removed");
    }

    @Test
    void shouldReportARetypedProperty() throws IOException {
        assertThat(breakingAfter(EventType.DATASET_COMMITTED, current -> {
            ((ObjectNode) current.at("/properties/recordCount")).put("type", "string");
        })).containsExactly("/properties/recordCount: type integer no longer accepted (now [string])");
    }

    @Test
    void shouldReportANewRequiredPropertyEvenInANestedObject() throws IOException {
        assertThat(breakingAfter(EventType.MODEL_REGISTERED, current -> {
            ObjectNode metrics = (ObjectNode) current.at("/properties/metrics");
            ((ObjectNode) metrics.get("properties")).putObject("auc").put("type", "number");
            ((ArrayNode) metrics.get("required")).add("auc");
        })).containsExactly("/properties/metrics: property auc became required");
    }

    @Test
    void shouldReportANarrowedEnumAndATightenedBound() throws IOException {
        assertThat(breakingAfter(EventType.MODEL_PROMOTED, current -> {
            ObjectNode rule = (ObjectNode) current.at("/properties/gates/items/properties/rule");
            ((ArrayNode) rule.get("enum")).remove(0);
            ((ObjectNode) current.at("/properties/model")).put("maxLength", 10);
        })).containsExactlyInAnyOrder(
                        "/properties/model: maxLength lowered to 10",
                        "/properties/gates/items/properties/rule: enum value \"min\" removed");
    }

    @Test
    void shouldReportAChangedPatternAndAnUnanalysedCombinator() throws IOException {
        assertThat(breakingAfter(EventType.DATASET_COMMITTED, current -> {
            ((ObjectNode) current.at("/properties/dataHash")).put("pattern", "^[0-9a-f]{40}$");
            ((ObjectNode) current.at("/properties/author")).putArray("oneOf").addObject().put("type", "string");
        })).containsExactlyInAnyOrder(
                        "/properties/dataHash: pattern changed to \"^[0-9a-f]{40}$\"",
                        "/properties/author: oneOf changed (not analysed; review by hand)");
    }

    /** The breaking changes of the type's baseline after {@code change} was applied to a copy of it. */
    private static java.util.List<String> breakingAfter(EventType type, java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectNode current = baseline(type).deepCopy();
        change.accept(current);
        return SchemaCompatibility.breakingChanges(baseline(type), current);
    }

    private static void removeRequired(ObjectNode schema, String property) {
        ArrayNode required = (ArrayNode) schema.get("required");
        for (int i = 0; i < required.size(); i++) {
            if (required.get(i).asText().equals(property)) {
                required.remove(i);
                return;
            }
        }
    }

    private static JsonNode baseline(EventType type) throws IOException {
        String resource = "schema-baselines/" + type.topic() + ".json";
        try (InputStream in = SchemaCompatibilityTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as("baseline %s", resource).isNotNull();
            return EventJson.mapper().readTree(in);
        }
    }
}
