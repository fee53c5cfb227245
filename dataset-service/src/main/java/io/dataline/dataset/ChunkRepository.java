package io.dataline.dataset;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.chunks.ChunkBackend;
import io.dataline.dataset.chunks.ChunkStorage;
import io.dataline.dataset.chunks.DatabaseChunks;
import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.ChunkStore;
import io.dataline.dataset.versioning.Hash;
import io.dataline.service.Jdbc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The {@code chunk} table and, for chunks whose bytes are in object storage, {@link ChunkStorage}. Chunks are immutable, so those read from the database are cached (bounded by bytes) and
 * shared by every request; chunks written by an operation go through {@link #session()}, which batches the inserts
 * (a small operation's into the caller's transaction, a large one's also on writer threads) and serves them back before
 * they are flushed (after, from the cache for the first
 * {@value #WRITES_KEPT_BYTES} bytes an operation writes, then from the database: a commit of millions of records never
 * holds its chunks in memory).
 */
@ApplicationScoped
public class ChunkRepository {

    private static final Logger LOG = Logger.getLogger(ChunkRepository.class);
    private static final long CACHE_BYTES = 48L * 1024 * 1024;
    /**
     * Bytes of the chunks one operation writes that are also kept in the cache: a commit of 1,000 changes writes ~3 MiB,
     * and the next commit on the dataset reads many of those nodes (the index nodes always, the leaves it touches
     * again); an ingest of millions writes far more, and only its first chunks are kept, so it cannot flush the cache.
     */
    private static final long WRITES_KEPT_BYTES = 8L * 1024 * 1024;
    /** Bytes of the chunks a {@link Session#keepingReads()} session reads that are kept in the cache. */
    private static final long READS_KEPT_BYTES = 8L * 1024 * 1024;
    private static final int BATCH = 500;
    /**
     * Fewest chunks a writer is handed at a time: an operation hands this many or more to a writer that is idle, and at
     * its end splits its rest into parts of at least this many ({@link Session#startFlush()}).
     */
    private static final int MIN_PART = 100;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ChunkStorage storage;
    private final ChunkCache cache = new ChunkCache(CACHE_BYTES);

    /** A chunk store for one operation inside the current transaction; call {@link Session#flush()} before commit. */
    public Session session() {
        return new Session();
    }

    /** Number of chunks stored (for tests and metrics). */
    public long count() {
        return Jdbc.count(dataSource, "SELECT count(*) FROM chunk", "chunks");
    }

    /** Drops every cached chunk, so the next reads go to the back-ends (tests of where chunks are). */
    public void clearCache() {
        cache.clear();
    }

    private Chunk cached(Hash hash) {
        return cache.get(hash);
    }

    private void remember(Chunk chunk) {
        cache.put(chunk);
    }

    /**
     * Reads these chunks, none of them cached: one query for their rows, which hold the bytes or (NULL) say they are in
     * object storage, then those from there.
     */
    private Map<Hash, Chunk> read(java.util.List<Hash> hashes, boolean keep) {
        Map<Hash, Chunk> loaded = new java.util.HashMap<>();
        java.util.List<Hash> elsewhere = new java.util.ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT hash, data FROM chunk WHERE hash = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("bytea", hashes.stream().map(Hash::bytes).toArray(byte[][]::new)));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byte[] data = rows.getBytes(2);
                    if (data == null) {
                        elsewhere.add(Hash.of(rows.getBytes(1)));
                    } else {
                        Chunk chunk = Chunk.decode(data);
                        loaded.put(chunk.hash(), chunk);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read chunks", e);
        }
        if (!elsewhere.isEmpty()) {
            storage.objectsToRead().get(elsewhere).forEach((hash, bytes) -> loaded.put(hash, Chunk.decode(bytes)));
        }
        for (Hash hash : hashes) {
            Chunk chunk = loaded.get(hash);
            if (chunk == null) {
                throw new IllegalStateException("chunk " + hash + " is missing from the store");
            }
            if (keep) {
                remember(chunk);
            }
        }
        return loaded;
    }

    /**
     * What one operation did with chunks: how many it asked for (from this session, the cache or the back-end), how many
     * of those the back-end had to serve (the database, or object storage), how many new ones it wrote, the time spent
     * waiting for the back-end's fetches and writes, and the time the writes took (more than was waited for them when
     * writer threads inserted batches while the operation went on).
     */
    public record Io(long read, long fetched, long written, long fetchNanos, long writeNanos, long writerNanos) {
        public static final Io NONE = new Io(0, 0, 0, 0, 0, 0);
    }

    /**
     * Threads that insert a large operation's chunk batches in transactions of their own while the operation goes on
     * building its tree ({@link Session}): PostgreSQL inserts one batch on each core while the service computes the
     * next. Two, as this is what one commit can keep busy; every session shares them.
     */
    private static final int WRITERS = 2;
    private final java.util.concurrent.atomic.AtomicInteger writerThreads = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(WRITERS, task -> {
        Thread thread = new Thread(task, "chunk-writer-" + writerThreads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    /** Run by a writer thread before it inserts a batch; tests make it throw, to see the operation insert that batch itself. */
    private volatile Runnable beforeWriterInserts = () -> {
    };

    void beforeWriterInserts(Runnable action) {
        beforeWriterInserts = action;
    }

    /** A batch a writer thread inserted: its chunks, the rows that were new, and the time it took. */
    private record Written(List<Chunk> chunks, long saved, long nanos) {
    }

    /**
     * Chunks of one operation: new ones are buffered and inserted in batches of {@value #BATCH} (duplicates ignored).
     * <p>
     * An operation that writes fewer than {@value #MIN_PART} (a small commit) inserts them in its own transaction when
     * it flushes, and so does every operation on object storage. A larger one, on the database back-end, hands what it
     * has buffered to a writer thread as soon as it holds {@value #MIN_PART} chunks or more and fewer than {@value #WRITERS}
     * of its batches are under way (so the inserts start while the tree is still being built, not once a batch is full),
     * and waits for a writer only with a full batch buffered. The writer inserts it in a transaction
     * of its own (sorted by hash, so two of them never wait on each other in a cycle; committed without waiting for its WAL
     * flush, which the version's later commit does for it), and goes on building; at most
     * {@value #WRITERS} of its batches are under way at a time. At its end {@link #startFlush()} hands over the rest, split
     * between the writers, and the operation writes its version meanwhile; {@link #flush()} waits for every batch, so the
     * version, committed after it, never exists without its chunks. The chunk rows of such an operation can
     * thus commit before (or without, if it then fails) its version: rows no version references, which the same operation
     * done again finds stored (content addressing); nothing reads a chunk but through a version that references it. While a
     * batch is under way its chunks are served from memory. The operation's own transaction inserts chunks only once no
     * batch of its is under way, and from then on every batch (so it never waits for a writer while holding rows a
     * writer may wait for); a batch a writer could not insert (say, no free connection in time) is inserted that way too.
     */
    public final class Session implements ChunkStore {

        /** Hashes of every chunk this operation stored (32 bytes each), so none is inserted twice. */
        private final java.util.Set<Hash> written = new java.util.HashSet<>();
        private final Map<Hash, Chunk> unflushed = new LinkedHashMap<>();
        /** Chunks of the batches the writer threads have not finished, by hash. */
        private final Map<Hash, Chunk> underWay = new java.util.HashMap<>();
        /**
         * This session's batches, each handed back here as its writer finishes it, in the order they finish; made at the
         * first batch (most sessions only read, a record by key among them, and never hand one over).
         */
        private java.util.concurrent.ExecutorCompletionService<Written> batches;
        /** Batches submitted and not yet collected from {@link #batches}. */
        private int batchesUnderWay;
        /** Whether the operation's own transaction has inserted chunks: from then on, it inserts every batch itself. */
        private boolean insertedHere;
        /** Whether a batch of this operation went to a writer thread. */
        private boolean handedOver;
        /** Bytes of the chunks read without keeping ({@code loadAll(…, false)}) that are kept in the cache all the same. */
        private long readsToKeep;
        private long readsKept;
        private long keptBytes;
        private long newChunks;
        private long reads;
        private long fetches;
        private long fetchNanos;
        private long writeNanos;
        private long writerNanos;

        private Chunk held(Hash hash) {
            Chunk chunk = unflushed.get(hash);
            if (chunk == null && !underWay.isEmpty()) {
                chunk = underWay.get(hash);
            }
            return chunk != null ? chunk : cached(hash);
        }

        /**
         * Keeps in the cache the first {@value #READS_KEPT_BYTES} bytes of the chunks this session reads without keeping
         * them (the leaves of a batched lookup): a staging upload reads the head's leaves of the keys it stages, and
         * the commit that follows rewrites exactly those leaves, so it finds them in memory instead of reading them
         * again; an upload of millions keeps only its first leaves, so it cannot flush the cache.
         */
        public Session keepingReads() {
            readsToKeep = READS_KEPT_BYTES;
            return this;
        }

        @Override
        public Chunk load(Hash hash) {
            reads++;
            Chunk chunk = held(hash);
            if (chunk == null) {
                fetches++;
                long started = System.nanoTime();
                chunk = read(java.util.List.of(hash), true).get(hash);
                fetchNanos += System.nanoTime() - started;
            }
            return chunk;
        }

        /**
         * This session's chunk reads and writes so far (writes: those flushed). {@code writeNanos} is the time the
         * operation waited for inserts; {@code writerNanos}, what the inserts took, the writer threads' included.
         */
        public Io io() {
            return new Io(reads, fetches, newChunks, fetchNanos, writeNanos, writerNanos);
        }

        @Override
        public void store(Chunk chunk) {
            if (written.add(chunk.hash())) {
                unflushed.put(chunk.hash(), chunk);
                int buffered = unflushed.size();
                if (buffered >= BATCH) {
                    if (writersMayInsert()) {
                        handOver();
                    } else {
                        insertHere();
                    }
                } else if (buffered >= MIN_PART && writerIdle()) {
                    handOver();
                }
            }
        }

        @Override
        public boolean readsFromBackEnd() {
            return true;
        }

        @Override
        public boolean atHand(Hash hash) {
            return held(hash) != null;
        }

        /** Reads the chunks neither this session nor the cache holds into the cache, {@value #BATCH} per query. */
        @Override
        public void prefetch(java.util.Collection<Hash> hashes) {
            loadAll(hashes, true);
        }

        @Override
        public Map<Hash, Chunk> loadAll(java.util.Collection<Hash> hashes, boolean keep) {
            Map<Hash, Chunk> loaded = new java.util.HashMap<>();
            java.util.List<Hash> missing = new java.util.ArrayList<>();
            reads += hashes.size();
            for (Hash hash : hashes) {
                Chunk chunk = held(hash);
                if (chunk != null) {
                    loaded.put(hash, chunk);
                } else if (!loaded.containsKey(hash)) {
                    missing.add(hash);
                }
            }
            fetches += missing.size();
            long started = System.nanoTime();
            for (int from = 0; from < missing.size(); from += BATCH) {
                java.util.List<Hash> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
                Map<Hash, Chunk> read = read(batch, keep);
                if (!keep && readsKept < readsToKeep) {
                    readsKept = rememberWithin(batch.stream().map(read::get).toList(), readsKept, readsToKeep);
                }
                loaded.putAll(read);
            }
            fetchNanos += System.nanoTime() - started;
            return loaded;
        }

        /**
         * Inserts the buffered chunks, and waits for every batch under way: after it, each chunk stored so far is in the
         * database (or in this transaction). Returns how many rows were new to the database so far.
         */
        public long flush() {
            startFlush();
            while (batchesUnderWay > 0) {
                awaitNext();
            }
            insertHere(); // what a batch that failed gave back
            return newChunks;
        }

        /**
         * Starts inserting the buffered chunks and returns without waiting, so the operation can do the rest of its work
         * (a commit: its version row and event) while they are inserted; {@link #flush()} then waits. An operation that
         * handed batches to the writer threads, or holds {@value #MIN_PART} chunks or more (a commit of a few hundred
         * changes), hands the rest to them, split between them ({@value #MIN_PART} chunks or more a part), so the rows
         * the operation waits for at its end are inserted on every core while it goes on; a smaller one inserts them in
         * its own transaction now.
         */
        public void startFlush() {
            if (unflushed.isEmpty()) {
                return;
            }
            if (!writersMayInsert() || !handedOver && unflushed.size() < MIN_PART) {
                insertHere();
                return;
            }
            keep(unflushed.values());
            List<Chunk> rest = new java.util.ArrayList<>(unflushed.values());
            rest.sort(java.util.Comparator.comparing(Chunk::hash));
            underWay.putAll(unflushed);
            unflushed.clear();
            int parts = Math.max(1, Math.min(WRITERS, rest.size() / MIN_PART));
            for (int part = 0; part < parts; part++) {
                // queued behind this operation's batches under way if need be: no more memory than those parts hold
                submit(List.copyOf(rest.subList(rest.size() * part / parts, rest.size() * (part + 1) / parts)));
            }
        }

        /**
         * Whether batches may go to the writer threads: on the database back-end, until the operation's own transaction
         * inserted chunks (from then on it inserts every batch itself).
         */
        private boolean writersMayInsert() {
            return !insertedHere && storage.writer() instanceof DatabaseChunks;
        }

        /**
         * Whether a writer may take a batch of this session now without waiting: fewer than {@value #WRITERS} of its
         * batches under way once those finished are collected (one a writer could not insert makes this session insert
         * everything itself, here).
         */
        private boolean writerIdle() {
            if (!writersMayInsert()) {
                return false;
            }
            while (batchesUnderWay > 0) {
                java.util.concurrent.Future<Written> done = batches.poll();
                if (done == null) {
                    break;
                }
                collect(done, 0);
            }
            return batchesUnderWay < WRITERS && !insertedHere;
        }

        /** The buffered chunks to a writer thread, once fewer than {@value #WRITERS} of this session's batches are under way. */
        private void handOver() {
            while (batchesUnderWay >= WRITERS) {
                awaitNext();
            }
            if (insertedHere) { // a batch a writer could not insert was inserted here: so is this one
                insertHere();
                return;
            }
            keep(unflushed.values()); // in the order written, as the operation's first chunks are the ones kept
            List<Chunk> batch = new java.util.ArrayList<>(unflushed.values());
            batch.sort(java.util.Comparator.comparing(Chunk::hash));
            underWay.putAll(unflushed);
            unflushed.clear();
            submit(batch);
        }

        /** One batch (sorted by hash, its chunks under way) to a writer thread. */
        private void submit(List<Chunk> batch) {
            handedOver = true;
            ChunkBackend backend = storage.writer();
            Runnable before = beforeWriterInserts;
            if (batches == null) {
                batches = new java.util.concurrent.ExecutorCompletionService<>(writers);
            }
            batches.submit(() -> {
                long started = System.nanoTime();
                before.run();
                long saved = QuarkusTransaction.requiringNew().call(() -> {
                    try (Connection connection = dataSource.getConnection()) {
                        // no WAL flush of its own: the version's transaction commits after it and flushes the log up to
                        // its commit record, which is past this one's, so the version is never durable without these
                        // rows; a crash before that loses only rows no version references yet
                        try (java.sql.Statement local = connection.createStatement()) {
                            local.execute("SET LOCAL synchronous_commit = off");
                        }
                        return backend.save(connection, batch);
                    }
                });
                return new Written(batch, saved, System.nanoTime() - started);
            });
            batchesUnderWay++; // counted once submitted: a batch the executor refused is never waited for
        }

        /**
         * Waits for whichever of this session's batches under way a writer finishes first (not the oldest: a writer that
         * finished a small batch must not sit idle while the operation waits for the other's larger one).
         */
        private void awaitNext() {
            long started = System.nanoTime();
            java.util.concurrent.Future<Written> batch;
            try {
                batch = batches.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing chunks", e);
            }
            collect(batch, System.nanoTime() - started);
        }

        /** A finished batch taken in (it has left {@link #batches}); one its writer could not insert is inserted here. */
        private void collect(java.util.concurrent.Future<Written> batch, long waitedNanos) {
            batchesUnderWay--;
            Written done;
            try {
                done = batch.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while storing chunks", e);
            } catch (java.util.concurrent.ExecutionException e) {
                done = null;
                // worth an operator's eye (no free connection in the pool, a database error), not the operation's failure
                LOG.warnf("a chunk writer could not insert its batch (%s); the operation inserts its chunks itself", e.getCause());
            }
            writeNanos += waitedNanos;
            if (done == null) {
                // which batch it was is not known here: every chunk still under way goes back to the buffer, to be
                // inserted in this transaction (inserting one twice is harmless), once the other batches have ended
                while (batchesUnderWay > 0) {
                    awaitNext();
                }
                insertedHere = true;
                unflushed.putAll(underWay);
                underWay.clear();
                insertHere();
                return;
            }
            writerNanos += done.nanos();
            newChunks += done.saved();
            for (Chunk chunk : done.chunks()) {
                underWay.remove(chunk.hash());
            }
        }

        /** Inserts the buffered chunks in the operation's own transaction. */
        private void insertHere() {
            if (unflushed.isEmpty()) {
                return;
            }
            insertedHere = true;
            long started = System.nanoTime();
            try (Connection connection = dataSource.getConnection()) {
                newChunks += storage.writer().save(connection, java.util.List.copyOf(unflushed.values()));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot store chunks", e);
            }
            long took = System.nanoTime() - started;
            writeNanos += took;
            writerNanos += took;
            keep(unflushed.values());
            unflushed.clear();
        }

        /**
         * Kept in the cache even before the transaction commits: a chunk is only ever read through a tree that references
         * it, and every operation that builds such a tree stores the chunk itself.
         */
        private void keep(java.util.Collection<Chunk> chunks) {
            keptBytes = rememberWithin(chunks, keptBytes, WRITES_KEPT_BYTES);
        }

        /** Puts these chunks in the cache, in order, while the bytes kept stay within {@code most}; returns the bytes kept then. */
        private long rememberWithin(Iterable<Chunk> chunks, long kept, long most) {
            for (Chunk chunk : chunks) {
                if (kept + chunk.encoded().length > most) {
                    break;
                }
                kept += chunk.encoded().length;
                remember(chunk);
            }
            return kept;
        }
    }
}
