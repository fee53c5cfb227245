package io.dataline.dataset.versioning;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts one level's entry stream into chunks at content-defined boundaries (the {@link TreeFormat}'s rule) and stores
 * them. A chunk also ends once it holds {@value #MAX_ENTRIES} entries or {@value #MAX_BYTES} bytes, so records chosen
 * never to meet the condition cannot build one giant node (natural data reaches those caps with a probability below one
 * in ten million per chunk; format 2's minimum of 4 KiB is reached first by any entries of 4 bytes or more, and a key
 * and a JSON record are more). The caps count from the previous boundary only, so the chunking stays a function of the
 * content: the same records give the same tree in any history, and an edit's re-chunking still ends where it meets an
 * old boundary.
 */
final class Chunker {

    private final ChunkStore store;
    private final TreeFormat format;
    private final int level;
    private final Consumer<Chunk> emit;
    /** Most entries of one chunk. */
    static final int MAX_ENTRIES = 1024;
    /** Most bytes (keys and values) of one chunk: a larger one ends after the entry that crossed this. */
    static final int MAX_BYTES = 8 * 1024 * 1024;

    /** The entries since the last boundary. */
    private List<Entry> pending;
    private int pendingEntries;
    private long pendingBytes;

    /** A chunker that stores each chunk it makes in {@code store} (none: only emits it) and emits it. */
    Chunker(ChunkStore store, TreeFormat format, int level, Consumer<Chunk> emit) {
        this.store = store;
        this.format = format;
        this.level = level;
        this.emit = emit;
        this.pending = new ArrayList<>();
    }

    void add(Entry entry) {
        pending.add(entry);
        pendingEntries++;
        pendingBytes += entry.key().length + entry.value().length;
        if (format.ends(level, entry, pendingBytes) || pendingEntries >= MAX_ENTRIES || pendingBytes >= MAX_BYTES) {
            flush();
        }
    }

    void flush() {
        if (pendingEntries == 0) {
            return;
        }
        pendingEntries = 0;
        pendingBytes = 0;
        Chunk chunk = Chunk.of(level, pending);
        if (store != null) {
            store.store(chunk);
        }
        pending = new ArrayList<>();
        emit.accept(chunk);
    }

    boolean atBoundary() {
        return pendingEntries == 0;
    }

    /** The entry a parent holds for a child node: the child's last key and a reference to it. */
    static Entry reference(Chunk child) {
        return new Entry(child.lastKey(), new ChildRef(child.hash(), child.records()).encode());
    }
}
