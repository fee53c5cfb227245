package io.dataline.dataset.versioning;

import java.nio.ByteBuffer;

/** An index entry's value: the child chunk's hash and how many records lie below it. */
public record ChildRef(Hash hash, long records) {

    public byte[] encode() {
        return ByteBuffer.allocate(Hash.LENGTH + Long.BYTES).put(hash.bytes()).putLong(records).array();
    }

    public static ChildRef decode(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        byte[] hash = new byte[Hash.LENGTH];
        buffer.get(hash);
        return new ChildRef(Hash.of(hash), buffer.getLong());
    }
}
