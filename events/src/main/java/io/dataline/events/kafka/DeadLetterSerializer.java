package io.dataline.events.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.dataline.events.EventJson;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Value serializer of the dead-letter topics. A record that failed deserialization arrives as its original bytes
 * and is written unchanged; an event that failed processing is written as the same plain JSON it was read from, so
 * {@code dlq replay} can put either back on the source topic. The reason travels in SmallRye's
 * {@code dead-letter-*} headers.
 */
public class DeadLetterSerializer implements Serializer<Object> {

    /** SmallRye's header with the bytes of a record that failed deserialization (its payload is then null). */
    static final String UNREADABLE_VALUE = "deserialization-failure-value-data";

    @Override
    public byte[] serialize(String topic, Headers headers, Object value) {
        if (value == null && headers != null && headers.lastHeader(UNREADABLE_VALUE) != null) {
            return headers.lastHeader(UNREADABLE_VALUE).value();
        }
        return serialize(topic, value);
    }

    @Override
    public byte[] serialize(String topic, Object value) {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return EventJson.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write dead letter for " + topic, e);
        }
    }
}
