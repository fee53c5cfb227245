package io.dataline.dataset.versioning;

/** Where chunks live, by hash. Chunks are immutable, so storing one twice is a no-op. */
public interface ChunkStore {

    /** The chunk with this hash; fails if it is missing (a missing chunk is corruption, not a user error). */
    Chunk load(Hash hash);

    void store(Chunk chunk);

    /**
     * Makes the chunks with these hashes quick to {@link #load}: a store that reads from a database fetches the missing
     * ones in one query. The default does nothing (in-memory stores need no help).
     */
    default void prefetch(java.util.Collection<Hash> hashes) {
    }
}
