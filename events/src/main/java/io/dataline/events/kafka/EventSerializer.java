package io.dataline.events.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.apicurio.registry.serde.jsonschema.JsonSchemaKafkaSerializer;
import io.dataline.events.EventJson;
import io.dataline.events.EventSchemas;
import io.dataline.events.EventType;
import io.dataline.events.PipelineEvent;
import io.dataline.events.SchemaViolation;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka value serializer of every pipeline event. The topic selects the contract ({@link EventType}).
 * <ul>
 * <li>With {@code apicurio.registry.url} set: the Apicurio JSON Schema serializer, schema registered from the
 * classpath, its id in the record headers, the value plain JSON, validated against the schema.</li>
 * <li>Without a registry: the same JSON, validated against the same local schema.</li>
 * </ul>
 * An event that breaks its schema is refused at once with a {@link SerializationException} naming each JSON
 * pointer (never an {@code UncheckedIOException}, which the Kafka producer would retry until its delivery timeout).
 */
public class EventSerializer implements Serializer<PipelineEvent> {

    private final RegistrySerdes<JsonSchemaKafkaSerializer<PipelineEvent>> registrySerializers =
            new RegistrySerdes<>(EventSerializer::registrySerializer, JsonSchemaKafkaSerializer::close);

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        registrySerializers.configure(configs, isKey);
    }

    /** Whether this serializer talks to a schema registry. */
    public boolean usesRegistry() {
        return registrySerializers.enabled();
    }

    @Override
    public byte[] serialize(String topic, PipelineEvent event) {
        return serialize(topic, new RecordHeaders(), event);
    }

    @Override
    public byte[] serialize(String topic, Headers headers, PipelineEvent event) {
        if (event == null) {
            return null;
        }
        EventType type = contractOf(topic, event);
        if (usesRegistry()) {
            try {
                return registrySerializers.forType(type).serialize(topic, headers, event);
            } catch (UncheckedIOException e) {
                throw new SerializationException(type.topic() + " event refused: " + e.getMessage(), e);
            }
        }
        JsonNode json = EventJson.mapper().valueToTree(event);
        List<SchemaViolation> violations = EventSchemas.validate(type, json);
        if (!violations.isEmpty()) {
            throw new SerializationException(type.topic() + " event breaks its schema: " + violations);
        }
        try {
            return EventJson.mapper().writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write " + type.topic() + " event", e);
        }
    }

    private static EventType contractOf(String topic, PipelineEvent event) {
        EventType byClass = EventType.forClass(event.getClass())
                .orElseThrow(() -> new SerializationException("not a pipeline event: " + event.getClass().getName()));
        EventType byTopic = EventType.forTopic(topic).orElse(byClass);
        if (byTopic != byClass) {
            throw new SerializationException(
                    event.getClass().getSimpleName() + " does not belong on topic " + topic + " (" + byTopic.eventClass().getSimpleName() + ")");
        }
        return byClass;
    }

    @Override
    public void close() {
        registrySerializers.close();
    }

    private static JsonSchemaKafkaSerializer<PipelineEvent> registrySerializer(EventType type, Map<String, ?> typeConfigs, boolean isKey) {
        JsonSchemaKafkaSerializer<PipelineEvent> serializer = new JsonSchemaKafkaSerializer<>();
        serializer.configure(typeConfigs, isKey);
        serializer.setObjectMapper(EventJson.mapper());
        return serializer;
    }
}
