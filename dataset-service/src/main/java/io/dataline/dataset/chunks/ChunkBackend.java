package io.dataline.dataset.chunks;

import io.dataline.dataset.versioning.Chunk;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Where the bytes of chunks live: {@link DatabaseChunks} (in their rows of the chunk table) or {@link S3Chunks} (objects
 * in an S3-compatible bucket). Which chunks exist is always the chunk table's to say, written before the version that
 * references them commits (in its transaction, or, for a large commit on the database back-end, partly in transactions
 * of writer threads that end before it: ChunkRepository.Session), so a version never commits without its chunks, and a
 * chunk row's {@code data} says where its bytes are (the bytes, or NULL for object storage). Reads follow each row
 * (ChunkRepository), whichever back-end new chunks go to.
 */
public interface ChunkBackend {

    /** {@code postgres} or {@code s3}, as {@code DATALINE_CHUNKS} names it. */
    String name();

    /**
     * Stores these chunks, idempotently: their bytes where this back-end keeps them, then their rows through
     * {@code connection}, inside the caller's transaction (the committing one, or a writer thread's). Returns how many
     * rows were new (or newly filled).
     */
    long save(Connection connection, List<Chunk> chunks) throws SQLException;
}
