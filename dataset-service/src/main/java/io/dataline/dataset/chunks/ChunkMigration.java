package io.dataline.dataset.chunks;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.ChunkRepository;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.service.DatasetService;
import io.dataline.dataset.versioning.ChildRef;
import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Entry;
import io.dataline.dataset.versioning.Hash;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code dataline chunks migrate}: moves the chunks of every version of one dataset to a back-end, 500 at a time, each
 * batch verified before its rows change. To object storage: uploaded, read back and checked against their hashes, then
 * their rows' bytes cleared (holding the sweep lock shared, as a commit does). To the database: read from object
 * storage (checked against their hashes), written into their rows, then their objects deleted. A chunk another dataset
 * shares moves for both, which is safe: reads follow each row. Interrupted, it is simply run again.
 */
@ApplicationScoped
public class ChunkMigration {

    private static final int BATCH = 500;

    @Inject
    DatasetService datasets;

    @Inject
    ChunkRepository chunks;

    @Inject
    ChunkStorage storage;

    @Inject
    ChunkSweeper sweeper;

    @Inject
    AgroalDataSource dataSource;

    /** What a migration did: chunks of the dataset's versions, how many moved and their bytes. */
    public record Migrated(String dataset, String to, long chunks, long moved, long bytes) {
    }

    public Migrated migrate(String datasetName, String to) {
        ChunkBackend target = storage.backend(to);
        Dataset dataset = QuarkusTransaction.requiringNew().call(() -> datasets.resolve(datasetName));
        boolean toObjects = target instanceof S3Chunks;
        Set<Hash> seen = new HashSet<>();
        List<Hash> level = new ArrayList<>(roots(dataset.id));
        seen.addAll(level);
        long moved = 0;
        long bytes = 0;
        while (!level.isEmpty()) {
            List<Hash> below = new ArrayList<>();
            for (int from = 0; from < level.size(); from += BATCH) {
                List<Hash> batch = level.subList(from, Math.min(level.size(), from + BATCH));
                Map<Hash, Row> rows = rows(batch);
                List<Hash> needed = new ArrayList<>();
                List<Hash> moving = new ArrayList<>();
                for (Hash hash : batch) {
                    Row row = rows.get(hash);
                    if (row == null) {
                        throw new IllegalStateException("chunk " + hash + " of dataset " + dataset.name + " is missing from the store");
                    }
                    if (row.inObjects() != toObjects) {
                        moving.add(hash);
                        needed.add(hash);
                    } else if (row.level() > 0) {
                        needed.add(hash);
                    }
                }
                Map<Hash, Chunk> loaded = chunks.session().loadAll(needed, false);
                for (Hash hash : needed) {
                    Chunk chunk = loaded.get(hash);
                    if (!chunk.isLeaf()) {
                        for (Entry entry : chunk.entries()) {
                            Hash child = ChildRef.decode(entry.value()).hash();
                            if (seen.add(child)) {
                                below.add(child);
                            }
                        }
                    }
                }
                if (!moving.isEmpty()) {
                    List<Chunk> movingChunks = moving.stream().map(loaded::get).toList();
                    if (toObjects) {
                        toObjects(movingChunks);
                    } else {
                        toDatabase(movingChunks);
                    }
                    moved += moving.size();
                    bytes += movingChunks.stream().mapToLong(chunk -> chunk.encoded().length).sum();
                }
            }
            level = below;
        }
        return new Migrated(dataset.name, target.name(), seen.size(), moved, bytes);
    }

    /**
     * Holds the sweep lock (shared) from before the upload to the rows' update, as a commit does: a sweep between the
     * two would find objects whose rows still hold their bytes, and delete them.
     */
    private void toObjects(List<Chunk> moving) {
        S3Chunks objects = storage.objects();
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                S3Chunks.holdSweepLock(connection);
                objects.put(moving);
                objects.get(moving.stream().map(Chunk::hash).toList()); // read back: each object must hash to its chunk
                try (PreparedStatement clear = connection.prepareStatement("UPDATE chunk SET data = NULL WHERE hash = ANY (?) AND data IS NOT NULL")) {
                    clear.setArray(1, connection.createArrayOf("bytea", moving.stream().map(c -> c.hash().bytes()).toArray(byte[][]::new)));
                    clear.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot update chunk rows", e);
            }
        });
    }

    /** The chunks were read through the repository, from object storage, each checked against its hash. */
    private void toDatabase(List<Chunk> moving) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                storage.backend(DatabaseChunks.NAME).save(connection, moving);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot update chunk rows", e);
            }
        });
        sweeper.deleteUnreferenced(moving.stream().map(Chunk::hash).toList());
    }

    private record Row(int level, boolean inObjects) {
    }

    private Map<Hash, Row> rows(List<Hash> hashes) {
        Map<Hash, Row> rows = new java.util.HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT hash, level, data IS NULL FROM chunk WHERE hash = ANY (?)")) {
            query.setArray(1, connection.createArrayOf("bytea", hashes.stream().map(Hash::bytes).toArray(byte[][]::new)));
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    rows.put(Hash.of(result.getBytes(1)), new Row(result.getInt(2), result.getBoolean(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read chunk rows", e);
        }
        return rows;
    }

    private Set<Hash> roots(long datasetId) {
        Set<Hash> roots = new LinkedHashSet<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT DISTINCT data_hash FROM dataset_version WHERE dataset_id = ?")) {
            query.setLong(1, datasetId);
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    roots.add(Hash.fromHex(result.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the dataset's versions", e);
        }
        return roots;
    }
}
