package io.dataline.dataset.versioning;

import java.nio.ByteBuffer;

/** An index entry's value: the child chunk's hash and how many records lie below it. */
public record ChildRef(Hash hash, long records) {

    public byte[] encode() {
        return ByteBuffer.allocate(Hash.LENGTH + Long.BYTES).put(hash.bytes()).putLong(records).array();
    }

    /** The child's hash alone, from an encoded reference. */
    static Hash hashOf(byte[] value) {
        if (value.length != Hash.LENGTH + Long.BYTES) {
            throw new IllegalStateException("corrupt child reference: " + value.length + " bytes, not " + (Hash.LENGTH + Long.BYTES));
        }
        return Hash.of(value, 0);
    }

    /** The records below the child alone, from an encoded reference. */
    static long recordsOf(byte[] value) {
        return ByteBuffer.wrap(value, Hash.LENGTH, Long.BYTES).getLong();
    }

    public static ChildRef decode(byte[] value) {
        return new ChildRef(hashOf(value), recordsOf(value));
    }
}
