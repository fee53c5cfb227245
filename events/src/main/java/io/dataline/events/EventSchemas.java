package io.dataline.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The event JSON Schemas (draft-07, the dialect the Apicurio serdes parse) loaded from the classpath, and validation
 * of a document against them. Used by the serdes when no registry is configured and by the contract tests.
 */
public final class EventSchemas {

    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .formatAssertionsEnabled(true)
            .build();
    private static final Map<EventType, JsonSchema> SCHEMAS = new EnumMap<>(EventType.class);

    static {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
        for (EventType type : EventType.values()) {
            SCHEMAS.put(type, factory.getSchema(readTree(type), CONFIG));
        }
    }

    private EventSchemas() {
    }

    /** The raw schema document of an event type. */
    public static JsonNode schemaDocument(EventType type) {
        return SCHEMAS.get(type).getSchemaNode();
    }

    /** Every violation of the event type's schema by {@code document}, ordered by location; empty when valid. */
    public static List<SchemaViolation> validate(EventType type, JsonNode document) {
        return SCHEMAS.get(type).validate(document).stream()
                .map(m -> violation(m.getInstanceLocation().toString(), m.getMessage()))
                .sorted(Comparator.comparing(SchemaViolation::pointer).thenComparing(SchemaViolation::message))
                .toList();
    }

    private static SchemaViolation violation(String pointer, String message) {
        // The validator prefixes its message with the location; the pointer is kept apart.
        String prefix = (pointer.isEmpty() ? "$" : pointer) + ": ";
        return new SchemaViolation(pointer, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    private static JsonNode readTree(EventType type) {
        try (InputStream in = EventSchemas.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
            if (in == null) {
                throw new IllegalStateException("schema missing from the classpath: " + type.schemaResource());
            }
            return EventJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.schemaResource(), e);
        }
    }
}
