package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import io.dataline.dataset.versioning.KeyType;
import io.dataline.service.schema.RecordSchemaFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Record schemas (JSON Schema 2020-12): checks that a proposed schema is a valid schema for objects with a usable
 * primary key, and compiles schemas for validating records (cached per dataset and schema version).
 * <p>
 * A schema is one self-contained document: a {@code $ref} (or {@code $dynamicRef}) must point into it ({@code #...}),
 * and {@code $schema}, where given, must be 2020-12; anything else is refused when the schema is set. As a second
 * line, the factory loads nothing but its bundled meta-schemas: no file, no URL, no other classpath resource
 * ({@link RecordSchemaFactory}); its regular expressions run in linear time.
 */
@ApplicationScoped
public class RecordSchemas {

    private static final SchemaValidatorsConfig CONFIG = RecordSchemaFactory.CONFIG;
    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";
    private static final List<String> REFERENCES = List.of("$ref", "$dynamicRef", "$recursiveRef");
    /** Keywords whose values are data, not schemas: a {@code "$ref"} member inside them is just a value. */
    private static final List<String> DATA_KEYWORDS = List.of("const", "enum", "default", "examples");

    private final JsonSchemaFactory factory = RecordSchemaFactory.FACTORY;
    private final JsonSchema metaSchema = factory.getSchema(SchemaLocation.of(DIALECT), CONFIG);
    private final Map<Compiled, JsonSchema> compiled = new ConcurrentHashMap<>();

    /** Which schema a compiled one is: a dataset's version. */
    private record Compiled(long datasetId, int schemaVersion) {
    }

    /** One schema error: where and what. */
    public record Violation(String pointer, String message) {
        public Map<String, Object> asError() {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("pointer", pointer);
            error.put("message", message);
            return error;
        }
    }

    /**
     * The key type a schema gives {@code primaryKey}, after checking that the schema is a valid 2020-12 schema of an
     * object that requires the key as a string or integer property; the problems otherwise.
     */
    public Result<KeyType> checkDatasetSchema(JsonNode schema, String primaryKey) {
        List<Violation> problems = new ArrayList<>();
        if (schema == null || !schema.isObject()) {
            return Result.failure(List.of(new Violation("/schema", "must be a JSON Schema object")));
        }
        selfContained(schema, "/schema", problems);
        if (!problems.isEmpty()) {
            return Result.failure(problems);
        }
        metaSchema.validate(schema).forEach(m -> problems.add(new Violation("/schema" + m.getInstanceLocation(), strip(m.getMessage()))));
        if (!problems.isEmpty()) {
            return Result.failure(problems);
        }
        if (!"object".equals(schema.path("type").asText())) {
            problems.add(new Violation("/schema/type", "records are objects: the schema must say \"type\": \"object\""));
        }
        if (primaryKey == null || primaryKey.isBlank()) {
            problems.add(new Violation("/primaryKey", "is required"));
            return Result.failure(problems);
        }
        boolean required = false;
        for (JsonNode name : schema.path("required")) {
            required |= primaryKey.equals(name.asText());
        }
        if (!required) {
            problems.add(new Violation("/schema/required", "must list the primary key \"" + primaryKey + "\""));
        }
        String type = schema.path("properties").path(primaryKey).path("type").asText("");
        KeyType keyType = switch (type) {
            case "string" -> KeyType.STRING;
            case "integer" -> KeyType.INTEGER;
            default -> null;
        };
        if (keyType == null) {
            problems.add(new Violation("/schema/properties/" + primaryKey + "/type", "the primary key must be a \"string\" or \"integer\" property"));
        }
        return problems.isEmpty() ? Result.success(keyType) : Result.failure(problems);
    }

    /** Every reference that leaves the document, and every {@code $schema} that is not 2020-12, as a violation. */
    private static void selfContained(JsonNode node, String pointer, List<Violation> problems) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String at = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                JsonNode value = field.getValue();
                if (REFERENCES.contains(field.getKey()) && value.isTextual() && !value.asText().startsWith("#")) {
                    problems.add(new Violation(at, "only references within the schema (\"#...\") are allowed, not \"" + value.asText() + "\""));
                } else if (field.getKey().equals("$schema") && value.isTextual() && !value.asText().replaceAll("#$", "").equals(DIALECT)) {
                    problems.add(new Violation(at, "must be \"" + DIALECT + "\" (JSON Schema 2020-12), not \"" + value.asText() + "\""));
                }
                if (!DATA_KEYWORDS.contains(field.getKey())) {
                    selfContained(value, at, problems);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                selfContained(node.get(i), pointer + "/" + i, problems);
            }
        }
    }

    /** Violations of the record schema by one record, ordered by location. */
    public List<Violation> validate(long datasetId, int schemaVersion, String schemaJson, JsonNode record) {
        JsonSchema schema = compiled.computeIfAbsent(new Compiled(datasetId, schemaVersion), k -> factory.getSchema(schemaJson, CONFIG));
        Set<ValidationMessage> messages = schema.validate(record);
        if (messages.isEmpty()) {
            return List.of(); // nearly every record: no stream to build
        }
        return messages.stream()
                .map(m -> new Violation(m.getInstanceLocation().toString(), strip(m.getMessage())))
                .sorted(Comparator.comparing(Violation::pointer))
                .toList();
    }

    /** Compiles a schema that is not stored yet (a proposed new version). */
    public JsonSchema compile(JsonNode schema) {
        return factory.getSchema(schema, CONFIG);
    }

    private static String strip(String message) {
        int colon = message.indexOf(": ");
        return colon > 0 && (message.startsWith("/") || message.startsWith("$")) ? message.substring(colon + 2) : message;
    }

    /** A value or the reasons there is none. */
    public record Result<T>(T value, List<Violation> problems) {
        static <T> Result<T> success(T value) {
            return new Result<>(value, List.of());
        }

        static <T> Result<T> failure(List<Violation> problems) {
            return new Result<>(null, problems);
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }
}
