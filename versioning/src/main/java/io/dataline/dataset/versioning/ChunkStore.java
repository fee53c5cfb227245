package io.dataline.dataset.versioning;

/** Where chunks live, by hash. Chunks are immutable, so storing one twice is a no-op. */
public interface ChunkStore {

    /** The chunk with this hash; fails if it is missing (a missing chunk is corruption, not a user error). */
    Chunk load(Hash hash);

    void store(Chunk chunk);

    /**
     * Whether this store reads chunks from a back-end (a database), so that finding out which it will need and reading
     * them in batches ({@link #prefetch}) pays. The default, for stores in memory, says no.
     */
    default boolean readsFromBackEnd() {
        return false;
    }

    /**
     * Whether {@link #load} would return this chunk without reading it from a back-end (a database store: it is in this
     * operation's hands or in the cache). The default, for stores in memory, says yes.
     */
    default boolean atHand(Hash hash) {
        return true;
    }

    /**
     * Makes the chunks with these hashes quick to {@link #load}: a store that reads from a database fetches the missing
     * ones in one query. The default does nothing (in-memory stores need no help).
     */
    default void prefetch(java.util.Collection<Hash> hashes) {
    }

    /**
     * The chunks with these hashes, read together (a database store: one query per batch). With {@code keep} false a
     * store with a shared cache does not add them to it: a scan of a whole version (an export, a diff) must not evict
     * the index nodes that commits and lookups need.
     */
    default java.util.Map<Hash, Chunk> loadAll(java.util.Collection<Hash> hashes, boolean keep) {
        java.util.Map<Hash, Chunk> loaded = new java.util.HashMap<>();
        for (Hash hash : hashes) {
            loaded.put(hash, load(hash));
        }
        return loaded;
    }
}
