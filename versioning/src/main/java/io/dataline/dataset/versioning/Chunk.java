package io.dataline.dataset.versioning;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * An immutable node of the tree, stored once under the SHA-256 of its encoding: level 0 holds records, higher
 * levels hold child references. Encoding: level (1 byte), entry count, then per entry key length, key, value length,
 * value (lengths as unsigned varints).
 */
public final class Chunk {

    private final int level;
    private final List<Entry> entries;
    private final byte[] encoded;
    private final Hash hash;
    /** {@link #records()}, once summed (-1 before: a race only sums it twice; volatile, so a long is never read torn). */
    private volatile long records = -1;

    private Chunk(int level, List<Entry> entries, byte[] encoded) {
        this.level = level;
        this.entries = entries;
        this.encoded = encoded;
        this.hash = Hash.sha256(encoded);
    }

    public static Chunk of(int level, List<Entry> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + entries.size() * 64);
        out.write(level);
        varint(out, entries.size());
        for (Entry entry : entries) {
            varint(out, entry.key().length);
            out.writeBytes(entry.key());
            varint(out, entry.value().length);
            out.writeBytes(entry.value());
        }
        return new Chunk(level, List.copyOf(entries), out.toByteArray());
    }

    public static Chunk decode(byte[] encoded) {
        ByteBuffer in = ByteBuffer.wrap(encoded);
        int level = in.get() & 0xFF;
        int count = varint(in);
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] key = new byte[varint(in)];
            in.get(key);
            byte[] value = new byte[varint(in)];
            in.get(value);
            entries.add(new Entry(key, value));
        }
        return new Chunk(level, List.copyOf(entries), encoded);
    }

    public int level() {
        return level;
    }

    public List<Entry> entries() {
        return entries;
    }

    public byte[] encoded() {
        return encoded;
    }

    public Hash hash() {
        return hash;
    }

    public boolean isLeaf() {
        return level == 0;
    }

    public byte[] lastKey() {
        return entries.get(entries.size() - 1).key();
    }

    /** Records in this chunk's subtree (summed from the child references once, then kept). */
    public long records() {
        long known = records;
        if (known < 0) {
            if (isLeaf()) {
                known = entries.size();
            } else {
                known = 0;
                for (Entry entry : entries) {
                    known += ChildRef.recordsOf(entry.value());
                }
            }
            records = known;
        }
        return known;
    }

    private static void varint(ByteArrayOutputStream out, int value) {
        int v = value;
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int varint(ByteBuffer in) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.get() & 0xFF;
            value |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("corrupt chunk: varint too long");
    }
}
