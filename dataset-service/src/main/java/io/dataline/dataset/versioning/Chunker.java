package io.dataline.dataset.versioning;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts one level's entry stream into chunks at content-defined boundaries and stores them: a leaf ends after a record
 * whose SHA-256 meets a condition (about one record in {@value ProllyTree#LEAF_FANOUT}), an index node after a child
 * whose hash meets one (about one in {@value ProllyTree#INDEX_FANOUT}).
 */
final class Chunker {

    private final ChunkStore store;
    private final int level;
    private final Consumer<Chunk> emit;
    private List<Entry> pending = new ArrayList<>();

    Chunker(ChunkStore store, int level, Consumer<Chunk> emit) {
        this.store = store;
        this.level = level;
        this.emit = emit;
    }

    void add(Entry entry) {
        pending.add(entry);
        if (isBoundary(level, entry)) {
            flush();
        }
    }

    void flush() {
        if (!pending.isEmpty()) {
            Chunk chunk = Chunk.of(level, pending);
            store.store(chunk);
            pending = new ArrayList<>();
            emit.accept(chunk);
        }
    }

    boolean atBoundary() {
        return pending.isEmpty();
    }

    /** The entry a parent holds for a child node: the child's last key and a reference to it. */
    static Entry reference(Chunk child) {
        return new Entry(child.lastKey(), new ChildRef(child.hash(), child.records()).encode());
    }

    static boolean isBoundary(int level, Entry entry) {
        if (level == 0) {
            return Hash.sha256(entry.value()).prefix() % ProllyTree.LEAF_FANOUT == 0;
        }
        return ChildRef.decode(entry.value()).hash().prefix() % ProllyTree.INDEX_FANOUT == 0;
    }
}
