package io.dataline.dataset.chunks;

import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Hash;
import io.dataline.service.rest.ProblemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Chunks as objects in an S3-compatible bucket, keyed by content hash ({@code <prefix>ab/cdef…}), written and read
 * with bounded parallelism. Every object read is checked against its hash (content addressing is the integrity
 * check, so the SDK's own checksums are only sent where S3 requires them: MinIO and Ceph RGW accept that).
 * <p>
 * Uploads come first, rows second, all while the transaction holds {@link #SWEEP_LOCK} shared: an object whose row
 * is not committed yet is never swept, and a failed upload fails the commit before any version exists. An upload that
 * lands while its commit then fails leaves an object no row names; {@link ChunkSweeper} deletes those past a grace
 * period.
 */
public final class S3Chunks implements ChunkBackend, AutoCloseable {

    public static final String NAME = "s3";

    /** The advisory lock commits hold shared while they add chunk rows and the sweeper takes alone to delete. */
    public static final long SWEEP_LOCK = 0x64_61_74_61_63_68_6bL; // "datachk"

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final ExecutorService workers;

    S3Chunks(S3Client s3, String bucket, String prefix, ExecutorService workers) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
        this.workers = workers;
    }

    @Override
    public String name() {
        return NAME;
    }

    public String bucket() {
        return bucket;
    }

    /** The object key of a chunk. */
    public String key(Hash hash) {
        String hex = hash.hex();
        return prefix + hex.substring(0, 2) + "/" + hex.substring(2);
    }

    /** The chunk hash an object key names, or null for an object that is not a chunk. */
    Hash hashOf(String key) {
        if (!key.startsWith(prefix) || key.length() != prefix.length() + 2 * Hash.LENGTH + 1 || key.charAt(prefix.length() + 2) != '/') {
            return null;
        }
        String hex = key.substring(prefix.length(), prefix.length() + 2) + key.substring(prefix.length() + 3);
        return Hash.isHex(hex) ? Hash.fromHex(hex) : null;
    }

    @Override
    public long save(Connection connection, List<Chunk> chunks) throws SQLException {
        holdSweepLock(connection);
        put(chunks);
        long saved = 0;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO chunk (hash, level, data) VALUES (?, ?, NULL) ON CONFLICT (hash) DO NOTHING")) {
            for (Chunk chunk : chunks) {
                insert.setBytes(1, chunk.hash().bytes());
                insert.setShort(2, (short) chunk.level());
                insert.addBatch();
            }
            for (int inserted : insert.executeBatch()) {
                saved += Math.max(inserted, 0);
            }
        }
        return saved;
    }

    /** Takes {@link #SWEEP_LOCK} shared until the transaction on {@code connection} ends. */
    static void holdSweepLock(Connection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock_shared(?)")) {
            lock.setLong(1, SWEEP_LOCK);
            lock.execute();
        }
    }

    /** Uploads these chunks (all of them, or fails with 503: an object storage that refuses writes). */
    public void put(List<Chunk> chunks) {
        inParallel(chunks, chunk -> s3.putObject(b -> b.bucket(bucket).key(key(chunk.hash())).contentType("application/octet-stream"),
                RequestBody.fromBytes(chunk.encoded())));
    }

    /** Downloads these chunks, each checked against its hash. */
    public Map<Hash, byte[]> get(Collection<Hash> hashes) {
        Map<Hash, byte[]> loaded = new ConcurrentHashMap<>();
        inParallel(hashes, hash -> {
            byte[] bytes;
            try {
                bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key(hash))).asByteArrayUnsafe();
            } catch (NoSuchKeyException e) {
                throw new IllegalStateException("chunk " + hash + " is missing from object storage (s3://" + bucket + "/" + key(hash) + ")");
            }
            if (!Hash.sha256(bytes).equals(hash)) {
                throw new IllegalStateException("object s3://" + bucket + "/" + key(hash) + " does not hold chunk " + hash
                        + " (its content hashes to " + Hash.sha256(bytes) + ")");
            }
            loaded.put(hash, bytes);
        });
        return loaded;
    }

    /** Every object under the prefix that names a chunk, with when it was last written. */
    void list(BiConsumer<Hash, Instant> each) {
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            Hash hash = hashOf(object.key());
            if (hash != null) {
                each.accept(hash, object.lastModified());
            }
        }
    }

    /** Deletes these chunks' objects (at most 1,000 per request, as S3 allows). */
    void delete(List<Hash> hashes) {
        for (int from = 0; from < hashes.size(); from += 1000) {
            List<ObjectIdentifier> keys = hashes.subList(from, Math.min(hashes.size(), from + 1000)).stream()
                    .map(hash -> ObjectIdentifier.builder().key(key(hash)).build()).toList();
            var answer = s3.deleteObjects(b -> b.bucket(bucket).delete(Delete.builder().objects(keys).quiet(true).build()));
            if (answer.hasErrors() && !answer.errors().isEmpty()) {
                throw new IllegalStateException("object storage refused to delete " + answer.errors().size() + " object(s): "
                        + answer.errors().get(0).message());
            }
        }
    }

    private <T> void inParallel(Collection<T> items, Consumer<T> action) {
        List<Future<?>> running = new ArrayList<>(items.size());
        for (T item : items) {
            running.add(workers.submit(() -> action.accept(item)));
        }
        try {
            for (Future<?> future : running) {
                future.get();
            }
        } catch (ExecutionException e) {
            running.forEach(future -> future.cancel(true));
            if (e.getCause() instanceof SdkException sdk) {
                throw new ProblemException(503, "Object storage unavailable", "object storage (s3://" + bucket + ") failed: " + sdk.getMessage());
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            running.forEach(future -> future.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to object storage", e);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        s3.close();
    }
}
