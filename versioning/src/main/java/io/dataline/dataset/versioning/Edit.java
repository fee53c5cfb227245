package io.dataline.dataset.versioning;

/** A change to one key: put {@code value}, or delete the key when {@code value} is null. */
public record Edit(byte[] key, byte[] value) {

    public static Edit put(byte[] key, byte[] value) {
        return new Edit(key, value);
    }

    public static Edit delete(byte[] key) {
        return new Edit(key, null);
    }

    public boolean isDelete() {
        return value == null;
    }
}
