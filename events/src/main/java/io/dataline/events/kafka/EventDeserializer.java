package io.dataline.events.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.apicurio.registry.serde.jsonschema.JsonSchemaDeserializer;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaDeserializer;
import io.dataline.events.EventJson;
import io.dataline.events.EventSchemas;
import io.dataline.events.EventType;
import io.dataline.events.PipelineEvent;
import io.dataline.events.SchemaViolation;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer of every pipeline event; the topic selects the record type.
 * <ul>
 * <li>A record that carries a registry schema id (header, or the magic-byte prefix) is read with the Apicurio JSON
 * Schema deserializer against the writer's schema, which needs {@code apicurio.registry.url}.</li>
 * <li>A plain JSON record (no registry on either side, or one replayed by hand) is validated against the local
 * schema.</li>
 * </ul>
 * Anything else (not JSON, wrong shape, unknown topic, empty value) fails with a {@link SerializationException}
 * whose message says why; with {@code fail-on-deserialization-failure=false} and a dead-letter-queue failure
 * strategy, SmallRye sends the original bytes to the DLQ with that reason.
 */
public class EventDeserializer implements Deserializer<PipelineEvent> {

    private static final byte MAGIC_BYTE = 0;
    private static final int ID_PREFIX_LENGTH = 5;

    private final RegistrySerdes<RegistryDeserializer> registryDeserializers =
            new RegistrySerdes<>(EventDeserializer::registryDeserializer, RegistryDeserializer::close);

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        registryDeserializers.configure(configs, isKey);
    }

    @Override
    public PipelineEvent deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public PipelineEvent deserialize(String topic, Headers headers, byte[] data) {
        EventType type = EventType.forTopic(topic)
                .orElseThrow(() -> new SerializationException("no event contract for topic " + topic));
        if (data == null || data.length == 0) {
            throw new SerializationException("empty record value on " + topic);
        }
        boolean registryFramed = hasRegistryHeader(headers) || (data[0] == MAGIC_BYTE && data.length > ID_PREFIX_LENGTH);
        if (registryFramed && registryDeserializers.enabled()) {
            try {
                return registryDeserializers.forType(type).deserialize(topic, headers, data);
            } catch (RuntimeException e) {
                throw new SerializationException("cannot read " + topic + " event through the schema registry: " + e.getMessage(), e);
            }
        }
        byte[] json = data[0] == MAGIC_BYTE && data.length > ID_PREFIX_LENGTH
                ? Arrays.copyOfRange(data, ID_PREFIX_LENGTH, data.length)
                : data;
        return readLocally(type, json);
    }

    private static PipelineEvent readLocally(EventType type, byte[] json) {
        JsonNode tree;
        try {
            tree = EventJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new SerializationException("not JSON on " + type.topic() + ": " + firstLine(e));
        }
        if (tree == null || tree.isMissingNode()) {
            throw new SerializationException("not JSON on " + type.topic());
        }
        List<SchemaViolation> violations = EventSchemas.validate(type, tree);
        if (!violations.isEmpty()) {
            throw new SerializationException(type.topic() + " event breaks its schema: " + violations);
        }
        try {
            return EventJson.mapper().treeToValue(tree, type.eventClass());
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot map " + type.topic() + " event: " + firstLine(e));
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static boolean hasRegistryHeader(Headers headers) {
        return headers != null && (headers.lastHeader(RegistryConfig.VALUE_CONTENT_ID_HEADER) != null
                || headers.lastHeader(RegistryConfig.VALUE_GLOBAL_ID_HEADER) != null);
    }

    private static RegistryDeserializer registryDeserializer(EventType type, Map<String, ?> typeConfigs, boolean isKey) {
        RegistryDeserializer deserializer = new RegistryDeserializer();
        deserializer.configure(typeConfigs, isKey);
        deserializer.returning(type.eventClass());
        return deserializer;
    }

    @Override
    public void close() {
        registryDeserializers.close();
    }

    /** The Apicurio deserializer bound to one record type (its return-class setting breaks Quarkus class loading). */
    private static final class RegistryDeserializer extends JsonSchemaKafkaDeserializer<PipelineEvent> {

        @SuppressWarnings("unchecked")
        void returning(Class<? extends PipelineEvent> type) {
            setObjectMapper(EventJson.mapper());
            ((JsonSchemaDeserializer<PipelineEvent>) delegatedDeserializer).setSpecificReturnClass((Class<PipelineEvent>) type);
        }
    }
}
