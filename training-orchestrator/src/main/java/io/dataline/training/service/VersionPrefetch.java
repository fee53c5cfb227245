package io.dataline.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.service.DatasetServiceClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The records of a small version, read from dataset-service while its run is queued and claimed rather than after: a
 * {@code dataset.validated} event begins the read ({@link #begin}) before the transaction that queues the run, and the
 * worker that executes the run takes what was read ({@link #take}), waiting for it if it is still on its way. The read
 * is the one {@link VersionData#load} would make ({@link DatasetServiceClient#forEachRecord}: count and data hash
 * checked), so the run's files are the same byte for byte; a read that failed is not used, and the run reads the
 * version itself as before (a wrong announcement, an outage, a missing version then take their usual course).
 * <p>
 * Bounded: only versions of at most {@link #MAX_RECORDS} records and {@link #MAX_CHARS} characters of lines, at most
 * {@link #MAX_HELD} versions at once, each for at most {@link #KEPT_NANOS}: a read nobody takes (the run went to another
 * replica, or was never queued and {@link #discard} was not reached) is dropped when the next one begins after that. A
 * version is content-addressed, so what was read stays true however long it waits; the bounds are for the heap only.
 */
@ApplicationScoped
public class VersionPrefetch {

    /** Larger versions are read by the run itself, into files, one record at a time. */
    static final long MAX_RECORDS = 10_000;

    /**
     * A read that passes this many characters of lines stops and is not used (records of several kilobytes each): what
     * is held stays under ~{@code MAX_HELD} x 8 MB whatever the records' size.
     */
    static final long MAX_CHARS = 4L << 20;

    /** Versions held (read or being read) at once. */
    static final int MAX_HELD = 4;

    /** How long a read is held for a run that does not take it. */
    static final long KEPT_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * What was read: the dataset's identity and the version's view it was read by, and its records in key order as the
     * lines of the run's files ({@code VersionData.line}: a few hundred bytes a record, where a parsed record holds
     * several times that).
     */
    public record Read(JsonNode dataset, JsonNode version, List<String> lines) {
    }

    private record Held(CompletableFuture<Read> read, long since) {
    }

    private final DatasetServiceClient datasets;
    private final long maxChars;
    private final Map<String, Held> held = new LinkedHashMap<>(); // guarded by this; oldest first
    /**
     * At most twice {@link #MAX_HELD} reads at a time: the held versions' and those of versions dropped while still being
     * read (a read is not stopped by {@link #discard}), so a dataset-service that does not answer ties up no more threads.
     */
    private final ExecutorService readers = new ThreadPoolExecutor(0, 2 * MAX_HELD, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
        Thread thread = new Thread(task, "version-prefetch");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public VersionPrefetch(DatasetServiceClient datasets) {
        this(datasets, MAX_CHARS);
    }

    VersionPrefetch(DatasetServiceClient datasets, long maxChars) {
        this.datasets = datasets;
        this.maxChars = maxChars;
    }

    @PreDestroy
    void stop() {
        readers.shutdownNow();
    }

    /**
     * Begins reading the version's records on a thread of its own, unless it has more than {@link #MAX_RECORDS} (or an
     * unknown count), is being read already, or {@link #MAX_HELD} versions are held. Whether a read was begun.
     */
    public boolean begin(String datasetSlug, String dataVersion, Long recordCount) {
        if (recordCount == null || recordCount < 0 || recordCount > MAX_RECORDS) {
            return false;
        }
        String key = key(datasetSlug, dataVersion);
        synchronized (this) {
            dropExpired(System.nanoTime());
            if (held.containsKey(key) || held.size() >= MAX_HELD) {
                return false;
            }
            CompletableFuture<Read> read = new CompletableFuture<>();
            held.put(key, new Held(read, System.nanoTime()));
            try {
                readers.execute(() -> read(datasetSlug, dataVersion, recordCount, read));
            } catch (java.util.concurrent.RejectedExecutionException e) { // stopping, or reads of dropped versions still on their way
                held.remove(key);
                return false;
            }
            return true;
        }
    }

    private void read(String datasetSlug, String dataVersion, long recordCount, CompletableFuture<Read> result) {
        try {
            JsonNode dataset = datasets.identity(datasetSlug);
            JsonNode version = datasets.versionToRead(datasetSlug, dataVersion);
            List<String> lines = new ArrayList<>((int) recordCount);
            long[] chars = {0};
            datasets.forEachRecord(datasetSlug, dataset, version, record -> {
                String line = VersionData.line(record);
                chars[0] += line.length();
                if (chars[0] > maxChars) {
                    throw new TooLarge();
                }
                lines.add(line);
            });
            result.complete(new Read(dataset, version, lines));
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
        }
    }

    /**
     * Takes what was read of the version, waiting for a read still on its way; empty when none was begun or it failed
     * (the caller reads the version itself). A read is taken once.
     */
    public Optional<Read> take(String datasetSlug, String dataVersion) throws InterruptedException {
        Held taken;
        synchronized (this) {
            taken = held.remove(key(datasetSlug, dataVersion));
        }
        if (taken == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(taken.read().get());
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /** Drops what is held of the version, read or not (its event queued no run here). */
    public synchronized void discard(String datasetSlug, String dataVersion) {
        Held dropped = held.remove(key(datasetSlug, dataVersion));
        if (dropped != null) {
            dropped.read().cancel(false);
        }
    }

    /** Versions held now (for tests and diagnostics). */
    synchronized int held() {
        return held.size();
    }

    private void dropExpired(long now) {
        for (Iterator<Held> oldest = held.values().iterator(); oldest.hasNext();) {
            Held next = oldest.next();
            if (now - next.since() < KEPT_NANOS) {
                return;
            }
            next.read().cancel(false);
            oldest.remove();
        }
    }

    /** Stops a read whose lines outgrow {@link #MAX_CHARS}. */
    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("larger than a read ahead holds", null, false, false);
        }
    }

    private static String key(String datasetSlug, String dataVersion) {
        return datasetSlug + "@" + dataVersion;
    }
}
