package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.dataset.versioning.CanonicalJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The second half of reading an upload's records ({@link RecordIntake#read}): canonicalises each record that passed
 * its checks, refuses one over the size limit or with a key seen before in the request, and spools the rest, on a
 * thread of its own while the request's thread parses and checks the next records. A small upload (fewer than
 * {@value #BATCH} records) never leaves the request's thread. What waits between the two is bounded by the bytes of
 * the body it came from ({@value #IN_FLIGHT_BYTES}), whatever the upload's size. The spool and the key set are only
 * ever touched by one thread at a time: the writer's while it runs, the caller's once {@link #finish} or
 * {@link #abort} returned.
 */
final class IntakeWriter {

    static final long IN_FLIGHT_BYTES = 4L << 20;
    static final int BATCH = 256;

    private static final ExecutorService THREADS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "record-intake-writer");
        thread.setDaemon(true);
        return thread;
    });

    private record Handed(int index, Integer line, byte[] key, JsonNode record, int cost) {
    }

    /** Sent after the last batch. */
    private static final List<Handed> END = List.of();

    private final RecordIntake.Target target;
    private final StagingService.KeySet seen;
    private final RecordSpool spool;
    private final int maxErrors;
    private final int maxRecordBytes;
    private final Semaphore room = new Semaphore((int) IN_FLIGHT_BYTES);
    private final BlockingQueue<List<Handed>> queue = new ArrayBlockingQueue<>(64);
    private final AtomicLong errorCount = new AtomicLong();
    private final List<Map<String, Object>> errors = new ArrayList<>();
    private List<Handed> batch = new ArrayList<>(BATCH);
    private Future<?> running;
    private volatile boolean aborted;

    IntakeWriter(RecordIntake.Target target, StagingService.KeySet seen, RecordSpool spool, int maxErrors, int maxRecordBytes) {
        this.target = target;
        this.seen = seen;
        this.spool = spool;
        this.maxErrors = maxErrors;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** A record that passed the reader's checks, with its key and the bytes of the body it was read from. */
    void hand(RecordReader.Item item, byte[] key, long bytes) {
        int cost = (int) Math.min(IN_FLIGHT_BYTES, Math.max(1, bytes));
        if (!room.tryAcquire(cost)) {
            flush(); // what the writer has not been given cannot be written, nor its room given back
            while (!acquire(cost)) {
                surfaceIfEnded();
            }
        }
        batch.add(new Handed(item.index(), item.line(), key, item.json(), cost));
        if (batch.size() >= BATCH) {
            flush();
        }
    }

    /** Problems the reader found: from now on nothing more is spooled (the request will be refused). */
    void failed(int problems) {
        errorCount.addAndGet(problems);
    }

    long errorCount() {
        return errorCount.get();
    }

    /** The writer's errors, in the body's order, at most {@code maxErrors}; read after {@link #finish}. */
    List<Map<String, Object>> errors() {
        return errors;
    }

    /** Every record handed has been written (or refused); rethrows what stopped the writer. */
    void finish() {
        if (running == null) {
            write(batch); // a small upload: on this thread, no hand-over
            batch = new ArrayList<>(0);
            return;
        }
        flush();
        put(END);
        await();
    }

    /** The reader failed: the writer stops, and this returns once it has, so the caller may close the spool. */
    void abort() {
        aborted = true;
        if (running != null) {
            try {
                running.get();
            } catch (ExecutionException e) {
                // the reader's failure is the one reported
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Map<String, Object> error(int index, Integer line, String pointer, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("index", index);
        if (line != null) {
            error.put("line", line);
        }
        error.put("pointer", pointer);
        error.put("message", message);
        return error;
    }

    /** Both threads' errors in the body's order (each list is in it already), at most {@code max}. */
    static List<Map<String, Object>> merged(List<Map<String, Object>> reader, List<Map<String, Object>> writer, int max) {
        List<Map<String, Object>> all = new ArrayList<>(reader.size() + writer.size());
        all.addAll(reader);
        all.addAll(writer);
        all.sort(Comparator.comparingInt(e -> (Integer) e.get("index"))); // stable: one record's errors keep their order
        return all.size() > max ? new ArrayList<>(all.subList(0, max)) : all;
    }

    private void flush() {
        if (!batch.isEmpty()) {
            put(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    private void put(List<Handed> handed) {
        if (running == null) {
            running = THREADS.submit(this::loop);
        }
        try {
            while (!queue.offer(handed, 50, TimeUnit.MILLISECONDS)) {
                surfaceIfEnded();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the records", e);
        }
    }

    private boolean acquire(int cost) {
        try {
            return room.tryAcquire(cost, 50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the records", e);
        }
    }

    /** The writer stopped before it was told to: its failure becomes the reader's. */
    private void surfaceIfEnded() {
        if (running != null && running.isDone()) {
            await();
            throw new IllegalStateException("the record writer stopped before the end of the records");
        }
    }

    private void await() {
        try {
            running.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the records", e);
        }
    }

    private void loop() {
        try {
            while (!aborted) {
                List<Handed> next = queue.poll(50, TimeUnit.MILLISECONDS);
                if (next == END) {
                    return;
                }
                if (next != null && !aborted) {
                    write(next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(List<Handed> handed) {
        for (Handed record : handed) {
            byte[] canonical = CanonicalJson.bytes(record.record());
            String problem = null;
            String pointer = "";
            if (canonical.length > maxRecordBytes) {
                problem = "the record is " + canonical.length + " bytes, over the maximum of " + maxRecordBytes;
            } else if (!seen.add(record.key())) {
                pointer = "/" + target.primaryKey();
                problem = "duplicate primary key " + target.keyType().text(record.key()) + " within the request";
            }
            if (problem != null) {
                errorCount.incrementAndGet();
                if (errors.size() < maxErrors) {
                    errors.add(error(record.index(), record.line(), pointer, problem));
                }
            } else if (errorCount.get() == 0) {
                // after the first error nothing is kept, but every record is still checked
                spool.add(record.key(), canonical, record.index(), record.line() == null ? -1 : record.line());
            }
            room.release(record.cost());
        }
    }
}
