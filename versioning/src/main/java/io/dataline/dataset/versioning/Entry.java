package io.dataline.dataset.versioning;

import java.util.Arrays;

/**
 * One entry of a tree node: the encoded key and a value. In a leaf the value is the record's canonical JSON; in an
 * index node it is a child reference ({@link ChildRef}) keyed by the child's last key.
 */
public record Entry(byte[] key, byte[] value) {

    public int compareKey(byte[] other) {
        return Arrays.compareUnsigned(key, other);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Entry entry && Arrays.equals(key, entry.key) && Arrays.equals(value, entry.value);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }
}
