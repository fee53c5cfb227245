package io.dataline.dataset.chunks;

import io.dataline.dataset.versioning.Chunk;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

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
}
