package io.dataline.dataset.service;

import io.dataline.dataset.versioning.Entry;
import io.dataline.dataset.versioning.Hash;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * The checked records of one upload, held outside the database until they are written: an upload is read and checked
 * with no connection and no lock held, however slowly its client sends it, and only then written in one short
 * transaction. Records are gathered in memory up to {@code runBytes}; past that each full run is sorted by key and
 * appended to a temporary file, and {@link #forEachSorted} merges the runs (an external merge sort), so memory stays at
 * one run whatever the size of the upload. Two records with one key are found where the sorted order puts them side by
 * side: {@link #forEachSorted} then throws what the owner's {@code duplicate} function makes of them (a 422), so no
 * set of every key is ever held in memory. {@link #close} deletes the file.
 */
final class RecordSpool implements AutoCloseable {

    private static final Comparator<Spooled> KEY_ORDER = (a, b) -> Arrays.compareUnsigned(a.key(), b.key());

    /** Two records of the upload with one key: where each stood (record index, and line for NDJSON, else -1). */
    record Duplicate(byte[] key, long firstIndex, long firstLine, long secondIndex, long secondLine) {
    }

    /** A record as spooled: its key, canonical JSON, and where it stood in the upload. */
    private record Spooled(byte[] key, byte[] value, long index, long line) {
    }

    private final Path directory;
    private final long runBytes;
    private final java.util.function.Function<Duplicate, RuntimeException> duplicate;
    private final List<Spooled> run = new ArrayList<>();
    private long runSize;
    private final List<long[]> runs = new ArrayList<>(); // offset and length in the file
    private Path file;
    private DataOutputStream out;
    private long written;
    private long count;
    private long bytes;
    private final MessageDigest digest = Hash.digest();
    private final byte[] lengthBytes = new byte[4];

    RecordSpool(Path directory, long runBytes, java.util.function.Function<Duplicate, RuntimeException> duplicate) {
        this.directory = directory;
        this.runBytes = runBytes;
        this.duplicate = duplicate;
    }

    /** Adds a checked record under its encoded key; {@code index} and {@code line} (-1: none) say where it stood. */
    void add(byte[] key, byte[] record, long index, long line) {
        run.add(new Spooled(key, record, index, line));
        runSize += key.length + record.length + 96L; // the arrays and their entry on the heap
        count++;
        bytes += record.length;
        digestLength(key.length);
        digest.update(key);
        digestLength(record.length);
        digest.update(record);
        if (runSize >= runBytes) {
            spill();
        }
    }

    long count() {
        return count;
    }

    /** Bytes of canonical JSON held. */
    long bytes() {
        return bytes;
    }

    /** Whether records went to disk (the upload was larger than one run). */
    boolean spilled() {
        return file != null;
    }

    /** SHA-256 of the records in the order they arrived: what an idempotent retry must send again. */
    String digestHex() {
        try {
            return Hash.of(((MessageDigest) digest.clone()).digest()).hex();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record in ascending key order; may be called more than once. Throws on two records with one key. */
    void forEachSorted(Consumer<Entry> action) {
        Spooled[] previous = {null};
        Consumer<Spooled> emit = spooled -> {
            if (previous[0] != null && Arrays.equals(previous[0].key(), spooled.key())) {
                Spooled first = previous[0].index() < spooled.index() ? previous[0] : spooled;
                Spooled second = first == spooled ? previous[0] : spooled;
                throw duplicate.apply(new Duplicate(spooled.key(), first.index(), first.line(), second.index(), second.line()));
            }
            previous[0] = spooled;
            action.accept(new Entry(spooled.key(), spooled.value()));
        };
        if (file == null) {
            run.sort(KEY_ORDER);
            run.forEach(emit);
            return;
        }
        spill();
        try {
            out.flush();
            List<RunReader> readers = new ArrayList<>();
            try {
                PriorityQueue<RunReader> heads = new PriorityQueue<>((a, b) -> KEY_ORDER.compare(a.current, b.current));
                for (long[] region : runs) {
                    RunReader reader = new RunReader(file, region[0], region[1]);
                    readers.add(reader);
                    if (reader.advance()) {
                        heads.add(reader);
                    }
                }
                while (!heads.isEmpty()) {
                    RunReader smallest = heads.poll();
                    emit.accept(smallest.current);
                    if (smallest.advance()) {
                        heads.add(smallest);
                    }
                }
            } finally {
                for (RunReader reader : readers) {
                    reader.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spooled upload", e);
        }
    }

    private void spill() {
        if (run.isEmpty()) {
            return;
        }
        run.sort(KEY_ORDER);
        try {
            if (file == null) {
                Files.createDirectories(directory);
                file = Files.createTempFile(directory, "dataline-upload-", ".spool");
                out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 1 << 16));
            }
            long start = written;
            for (Spooled entry : run) {
                out.writeInt(entry.key().length);
                out.write(entry.key());
                out.writeInt(entry.value().length);
                out.write(entry.value());
                out.writeLong(entry.index());
                out.writeLong(entry.line());
                written += 24L + entry.key().length + entry.value().length;
            }
            runs.add(new long[] {start, written - start});
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool the upload to " + directory, e);
        }
        run.clear();
        runSize = 0;
    }

    @Override
    public void close() {
        run.clear();
        try {
            if (out != null) {
                out.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The length as four big-endian bytes into the digest. */
    private void digestLength(int value) {
        lengthBytes[0] = (byte) (value >>> 24);
        lengthBytes[1] = (byte) (value >>> 16);
        lengthBytes[2] = (byte) (value >>> 8);
        lengthBytes[3] = (byte) value;
        digest.update(lengthBytes);
    }

    /** One sorted run of the file, read sequentially. */
    private static final class RunReader implements AutoCloseable {
        private final FileChannel channel;
        private final DataInputStream in;
        private long remaining;
        Spooled current;

        RunReader(Path file, long offset, long length) throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            InputStream stream = Channels.newInputStream(channel);
            in = new DataInputStream(new BufferedInputStream(stream, 1 << 15));
            remaining = length;
        }

        boolean advance() throws IOException {
            if (remaining == 0) {
                current = null;
                return false;
            }
            try {
                byte[] key = new byte[in.readInt()];
                in.readFully(key);
                byte[] value = new byte[in.readInt()];
                in.readFully(value);
                long index = in.readLong();
                long line = in.readLong();
                remaining -= 24L + key.length + value.length;
                current = new Spooled(key, value, index, line);
                return true;
            } catch (EOFException e) {
                throw new IOException("the spool file ended early", e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
            channel.close();
        }
    }
}
