package io.dataline.dataset.versioning;

/** Where chunks live, by hash. Chunks are immutable, so storing one twice is a no-op. */
public interface ChunkStore {

    /** The chunk with this hash; fails if it is missing (a missing chunk is corruption, not a user error). */
    Chunk load(Hash hash);

    void store(Chunk chunk);
}
