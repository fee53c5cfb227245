package io.dataline.dataset.versioning;

import java.util.HashMap;
import java.util.Map;

/** Chunks in a map, counting how many new ones (and their bytes) each operation writes. */
final class MemoryChunkStore implements ChunkStore {

    private final Map<Hash, byte[]> chunks = new HashMap<>();
    private int newChunks;
    private long newBytes;

    @Override
    public Chunk load(Hash hash) {
        byte[] encoded = chunks.get(hash);
        if (encoded == null) {
            throw new IllegalStateException("missing chunk " + hash);
        }
        return Chunk.decode(encoded);
    }

    @Override
    public void store(Chunk chunk) {
        if (chunks.putIfAbsent(chunk.hash(), chunk.encoded()) == null) {
            newChunks++;
            newBytes += chunk.encoded().length;
        }
    }

    int size() {
        return chunks.size();
    }

    /** Bytes of the new chunks written since the last call. */
    long takeNewBytes() {
        long bytes = newBytes;
        newBytes = 0;
        return bytes;
    }

    /** New chunks written since the last call. */
    int takeNewChunks() {
        int count = newChunks;
        newChunks = 0;
        return count;
    }
}
