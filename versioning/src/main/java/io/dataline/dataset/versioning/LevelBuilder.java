package io.dataline.dataset.versioning;

/**
 * Builds a tree bottom-up from entries in ascending key order, one level per builder: a parent level exists only once
 * its child level has emitted a second node, so the root is the lowest level with a single node.
 */
final class LevelBuilder {

    private final ChunkStore store;
    private final TreeFormat format;
    private final int level;
    private final Chunker chunker;
    private Chunk first;
    private LevelBuilder parent;

    LevelBuilder(ChunkStore store, TreeFormat format, int level) {
        this.store = store;
        this.format = format;
        this.level = level;
        this.chunker = new Chunker(store, format, level, this::emitted);
    }

    void add(Entry entry) {
        chunker.add(entry);
    }

    private void emitted(Chunk chunk) {
        if (parent == null) {
            if (first == null) {
                first = chunk;
                return;
            }
            parent = new LevelBuilder(store, format, level + 1);
            parent.add(Chunker.reference(first));
        }
        parent.add(Chunker.reference(chunk));
    }

    /** Stores the last chunks and returns the root (an empty leaf when nothing was added). */
    Hash finish() {
        chunker.flush();
        if (parent != null) {
            return parent.finish();
        }
        if (first != null) {
            return first.hash();
        }
        Chunk empty = Chunk.of(0, java.util.List.of());
        store.store(empty);
        return empty.hash();
    }
}
