package io.dataline.dataset;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.chunks.ChunkStorage;
import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.ChunkStore;
import io.dataline.dataset.versioning.Hash;
import io.dataline.service.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code chunk} table and, for chunks whose bytes are in object storage, {@link ChunkStorage}. Chunks are immutable, so those read from the database are cached (bounded by bytes) and
 * shared by every request; chunks written by an operation go through {@link #session()}, which batches the inserts
 * into the caller's transaction and serves them back before they are flushed (after, from the cache for the first
 * {@value #WRITES_KEPT_BYTES} bytes an operation writes, then from the database: a commit of millions of records never
 * holds its chunks in memory).
 */
@ApplicationScoped
public class ChunkRepository {

    private static final long CACHE_BYTES = 48L * 1024 * 1024;
    /**
     * Bytes of the chunks one operation writes that are also kept in the cache: a commit of 1,000 changes writes ~3 MiB,
     * and the next commit on the dataset reads many of those nodes (the index nodes always, the leaves it touches
     * again); an ingest of millions writes far more, and only its first chunks are kept, so it cannot flush the cache.
     */
    private static final long WRITES_KEPT_BYTES = 8L * 1024 * 1024;
    private static final int BATCH = 500;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ChunkStorage storage;
    private final Map<Hash, Chunk> cache = new LinkedHashMap<>(1024, 0.75f, true);
    private long cachedBytes;

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
        synchronized (cache) {
            cache.clear();
            cachedBytes = 0;
        }
    }

    private Chunk cached(Hash hash) {
        synchronized (cache) {
            return cache.get(hash);
        }
    }

    private void remember(Chunk chunk) {
        synchronized (cache) {
            if (cache.put(chunk.hash(), chunk) == null) {
                cachedBytes += chunk.encoded().length;
            }
            var eldest = cache.entrySet().iterator();
            while (cachedBytes > CACHE_BYTES && eldest.hasNext()) {
                cachedBytes -= eldest.next().getValue().encoded().length;
                eldest.remove();
            }
        }
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
     * of those the back-end had to serve (the database, or object storage), how many new ones it wrote, and the time spent
     * waiting for the back-end's fetches and writes.
     */
    public record Io(long read, long fetched, long written, long fetchNanos, long writeNanos) {
        public static final Io NONE = new Io(0, 0, 0, 0, 0);
    }

    /** Chunks of one operation: new ones are buffered and inserted in batches (duplicates ignored). */
    public final class Session implements ChunkStore {

        /** Hashes of every chunk this operation stored (32 bytes each), so none is inserted twice. */
        private final java.util.Set<Hash> written = new java.util.HashSet<>();
        private final Map<Hash, Chunk> unflushed = new LinkedHashMap<>();
        private long keptBytes;
        private long newChunks;
        private long reads;
        private long fetches;
        private long fetchNanos;
        private long writeNanos;

        @Override
        public Chunk load(Hash hash) {
            reads++;
            Chunk chunk = unflushed.get(hash);
            if (chunk == null) {
                chunk = cached(hash);
            }
            if (chunk == null) {
                fetches++;
                long started = System.nanoTime();
                chunk = read(java.util.List.of(hash), true).get(hash);
                fetchNanos += System.nanoTime() - started;
            }
            return chunk;
        }

        /** This session's chunk reads and writes so far (writes: those flushed). */
        public Io io() {
            return new Io(reads, fetches, newChunks, fetchNanos, writeNanos);
        }

        @Override
        public void store(Chunk chunk) {
            if (written.add(chunk.hash())) {
                unflushed.put(chunk.hash(), chunk);
                if (unflushed.size() >= BATCH) {
                    flush();
                }
            }
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
                Chunk chunk = unflushed.get(hash);
                if (chunk == null) {
                    chunk = cached(hash);
                }
                if (chunk != null) {
                    loaded.put(hash, chunk);
                } else if (!loaded.containsKey(hash)) {
                    missing.add(hash);
                }
            }
            fetches += missing.size();
            long started = System.nanoTime();
            for (int from = 0; from < missing.size(); from += BATCH) {
                loaded.putAll(read(missing.subList(from, Math.min(missing.size(), from + BATCH)), keep));
            }
            fetchNanos += System.nanoTime() - started;
            return loaded;
        }

        /** Inserts the buffered chunks; returns how many were new to the database so far. */
        public long flush() {
            if (unflushed.isEmpty()) {
                return newChunks;
            }
            long started = System.nanoTime();
            try (Connection connection = dataSource.getConnection()) {
                newChunks += storage.writer().save(connection, java.util.List.copyOf(unflushed.values()));
            } catch (SQLException e) {
                throw new IllegalStateException("cannot store chunks", e);
            }
            writeNanos += System.nanoTime() - started;
            // kept even before the transaction commits: a chunk is only ever read through a tree that references it, and
            // every operation that builds such a tree stores the chunk itself
            for (Chunk chunk : unflushed.values()) {
                if (keptBytes + chunk.encoded().length > WRITES_KEPT_BYTES) {
                    break;
                }
                keptBytes += chunk.encoded().length;
                remember(chunk);
            }
            unflushed.clear();
            return newChunks;
        }
    }
}
