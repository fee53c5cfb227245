package io.dataline.dataset.versioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The type of a dataset's primary key and its byte encoding, chosen so that unsigned byte order is key order:
 * strings as UTF-8 (code point order), integers as 8 big-endian bytes with the sign bit flipped (numeric order).
 */
public enum KeyType {
    STRING, INTEGER;

    /** The longest primary key, in bytes of UTF-8 (a string key); longer keys are refused at staging with 422. */
    public static final int MAX_KEY_BYTES = 1024;

    /** The encoded key of a JSON key value, or null when the value is not a key of this type. */
    public byte[] encode(JsonNode value) {
        if (this == STRING) {
            return value != null && value.isTextual() ? value.textValue().getBytes(StandardCharsets.UTF_8) : null;
        }
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            return null;
        }
        return ByteBuffer.allocate(Long.BYTES).putLong(value.longValue() ^ Long.MIN_VALUE).array();
    }

    /** The key as given in a URL path segment, or null when it is not a key of this type. */
    public byte[] encode(String text) {
        if (this == STRING) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return ByteBuffer.allocate(Long.BYTES).putLong(Long.parseLong(text) ^ Long.MIN_VALUE).array();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public JsonNode decode(byte[] key) {
        if (this == STRING) {
            return JsonNodeFactory.instance.textNode(new String(key, StandardCharsets.UTF_8));
        }
        return JsonNodeFactory.instance.numberNode(ByteBuffer.wrap(key).getLong() ^ Long.MIN_VALUE);
    }

    /** The key as text (for offending-key lists, CSV, logs). */
    public String text(byte[] key) {
        return this == STRING ? new String(key, StandardCharsets.UTF_8) : Long.toString(ByteBuffer.wrap(key).getLong() ^ Long.MIN_VALUE);
    }
}
