package io.dataline.dataset.chunks;

import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Hash;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chunks kept in the chunk table itself (the default): one batched insert per flush. A chunk whose row says it is in
 * object storage gets its bytes back in the row (how {@code chunks migrate --to postgres} and a commit on this back-end
 * that produces such a chunk again leave it); the object is then swept as unreferenced.
 */
public final class DatabaseChunks implements ChunkBackend {

    public static final String NAME = "postgres";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long save(Connection connection, List<Chunk> chunks) throws SQLException {
        long saved = 0;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO chunk (hash, level, data) VALUES (?, ?, ?) "
                + "ON CONFLICT (hash) DO UPDATE SET data = EXCLUDED.data WHERE chunk.data IS NULL")) {
            for (Chunk chunk : chunks) {
                insert.setBytes(1, chunk.hash().bytes());
                insert.setShort(2, (short) chunk.level());
                insert.setBytes(3, chunk.encoded());
                insert.addBatch();
            }
            for (int inserted : insert.executeBatch()) {
                saved += Math.max(inserted, 0);
            }
        }
        return saved;
    }

    @Override
    public Map<Hash, byte[]> load(Connection connection, Collection<Hash> hashes) throws SQLException {
        Map<Hash, byte[]> loaded = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT hash, data FROM chunk WHERE hash = ANY (?) AND data IS NOT NULL")) {
            query.setArray(1, connection.createArrayOf("bytea", hashes.stream().map(Hash::bytes).toArray(byte[][]::new)));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    loaded.put(Hash.of(rows.getBytes(1)), rows.getBytes(2));
                }
            }
        }
        for (Hash hash : hashes) {
            if (!loaded.containsKey(hash)) {
                throw new IllegalStateException("chunk " + hash + " is not in the chunk table");
            }
        }
        return loaded;
    }
}
