package io.dataline.dataset.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Entry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The chunk table's writer, which inserts many rows per statement: every chunk of a flush stored once whatever the
 * flush's size (full statements of {@value DatabaseChunks#ROWS} rows and the rest), the count it returns is the rows
 * that were new, a chunk twice in one flush is one row (one statement must not touch a row twice), writing the same
 * chunks again changes nothing, and a row whose bytes were in object storage gets them back.
 */
@QuarkusTest
class DatabaseChunksTest {

    @Inject
    AgroalDataSource dataSource;

    private final DatabaseChunks chunks = new DatabaseChunks();

    private static List<Chunk> distinct(int n) {
        String run = UUID.randomUUID().toString();
        List<Chunk> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            made.add(Chunk.of(i % 3, List.of(new Entry((run + ":" + i).getBytes(StandardCharsets.UTF_8), ("value " + i).getBytes(StandardCharsets.UTF_8)))));
        }
        return made;
    }

    private long save(List<Chunk> batch) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return chunks.save(connection, batch);
            }
        });
    }

    private byte[] stored(Chunk chunk) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement read = connection.prepareStatement("SELECT level, data FROM chunk WHERE hash = ?")) {
            read.setBytes(1, chunk.hash().bytes());
            try (ResultSet row = read.executeQuery()) {
                assertThat(row.next()).as("a row for %s", chunk.hash()).isTrue();
                assertThat(row.getShort(1)).isEqualTo((short) chunk.level());
                byte[] data = row.getBytes(2);
                assertThat(row.next()).isFalse();
                return data;
            }
        }
    }

    @Test
    void shouldStoreEveryChunkOfAFlushOnceAndCountTheNewOnes() throws SQLException {
        for (int n : new int[] {1, DatabaseChunks.ROWS - 1, DatabaseChunks.ROWS, DatabaseChunks.ROWS + 1, 3 * DatabaseChunks.ROWS + 37}) {
            List<Chunk> batch = distinct(n);
            List<Chunk> withRepeats = new ArrayList<>(batch);
            withRepeats.addAll(batch.subList(0, Math.min(5, n)));

            assertThat(save(withRepeats)).as("new rows of a flush of %d", n).isEqualTo(n);
            for (Chunk chunk : batch) {
                assertThat(stored(chunk)).isEqualTo(chunk.encoded());
            }
            assertThat(save(batch)).as("the same %d again", n).isZero();
        }
    }

    @Test
    void shouldFillTheBytesOfARowWhoseChunkWasInObjectStorage() throws SQLException {
        List<Chunk> batch = distinct(DatabaseChunks.ROWS + 3);
        Chunk moved = batch.get(DatabaseChunks.ROWS + 1);
        save(List.of(moved));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement clear = connection.prepareStatement("UPDATE chunk SET data = NULL WHERE hash = ?")) {
            clear.setBytes(1, moved.hash().bytes());
            assertThat(clear.executeUpdate()).isOne();
        }

        assertThat(save(batch)).isEqualTo(batch.size()); // the others new, the moved one filled again
        assertThat(stored(moved)).isEqualTo(moved.encoded());
    }
}
