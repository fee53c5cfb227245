package io.dataline.validation.contract;

/**
 * 64-bit fingerprints of values seen in one pass, each mapped to a small int (e.g. a label's index), in an
 * open-addressing table: about 24 bytes a value instead of a boxed map entry's 60 or more, so a million distinct
 * values stay within a few tens of megabytes. Two different values share a fingerprint with odds of about
 * n^2 / 2^65.
 */
final class Fingerprints {

    private long[] keys = new long[1 << 10];
    private int[] values = new int[1 << 10];
    private boolean[] used = new boolean[1 << 10];
    private int size;

    /** Stores {@code value} under {@code fingerprint} unless present; returns the earlier value, or null. */
    Integer putIfAbsent(long fingerprint, int value) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int slot = find(fingerprint);
        if (used[slot]) {
            return values[slot];
        }
        used[slot] = true;
        keys[slot] = fingerprint;
        values[slot] = value;
        size++;
        return null;
    }

    /** Adds the fingerprint; false when it was there already. */
    boolean add(long fingerprint) {
        return putIfAbsent(fingerprint, 0) == null;
    }

    private int find(long fingerprint) {
        int mask = keys.length - 1;
        int slot = (int) (fingerprint ^ (fingerprint >>> 32)) & mask;
        while (used[slot] && keys[slot] != fingerprint) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                int slot = find(oldKeys[i]);
                used[slot] = true;
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }
}
