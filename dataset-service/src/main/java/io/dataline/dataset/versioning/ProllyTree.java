package io.dataline.dataset.versioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A prolly tree (probabilistic B-tree) over records sorted by key, stored as content-addressed {@link Chunk}s. Its
 * parts, one concept a file: {@link Chunker} (boundaries), {@link LevelBuilder} (bulk build), {@link TreeMutator}
 * (incremental edits), {@link TreePaths} (navigation); this class is the API.
 * <p>
 * Boundaries are content-defined: a leaf ends after a record whose SHA-256 meets a condition (about one record in
 * {@value #LEAF_FANOUT}), an index node ends after a child whose hash meets one (about one in
 * {@value #INDEX_FANOUT}). The tree is therefore a function of the records alone: the same records give the same
 * root whatever order they arrived in, and an edit changes only the chunks on its path (plus a neighbour when a
 * boundary record changes), so a commit costs in proportion to its changes and unchanged chunks are shared between
 * versions. The root is the lowest level that has a single node; an empty tree is an empty leaf.
 */
public final class ProllyTree {

    static final int LEAF_FANOUT = 64;
    static final int INDEX_FANOUT = 32;
    private static final Comparator<byte[]> KEY_ORDER = TreePaths.KEY_ORDER;

    private final ChunkStore store;
    private final TreePaths paths;
    private final TreeMutator mutator;

    public ProllyTree(ChunkStore store) {
        this.store = store;
        this.paths = new TreePaths(store);
        this.mutator = new TreeMutator(store, paths);
    }

    /** The root of an empty tree (stored). */
    public Hash empty() {
        Chunk empty = Chunk.of(0, List.of());
        store.store(empty);
        return empty.hash();
    }

    /** A builder fed entries in strictly ascending key order, one at a time (nothing is held beyond a chunk). */
    public interface TreeBuilder {
        void add(Entry entry);

        /** Stores the last chunks and returns the root. */
        Hash finish();
    }

    public TreeBuilder builder() {
        LevelBuilder builder = new LevelBuilder(store, 0);
        return new TreeBuilder() {
            private byte[] previous;

            @Override
            public void add(Entry entry) {
                if (previous != null && KEY_ORDER.compare(previous, entry.key()) >= 0) {
                    throw new IllegalArgumentException("entries must be in strictly ascending key order");
                }
                previous = entry.key();
                builder.add(entry);
            }

            @Override
            public Hash finish() {
                return builder.finish();
            }
        };
    }

    /** Builds the tree of {@code sorted} (strictly ascending keys) and returns its root. */
    public Hash build(Iterator<Entry> sorted) {
        LevelBuilder builder = new LevelBuilder(store, 0);
        byte[] previous = null;
        while (sorted.hasNext()) {
            Entry entry = sorted.next();
            if (previous != null && KEY_ORDER.compare(previous, entry.key()) >= 0) {
                throw new IllegalArgumentException("entries must be in strictly ascending key order");
            }
            previous = entry.key();
            builder.add(entry);
        }
        return builder.finish();
    }

    /**
     * Applies {@code edits} (strictly ascending keys) to the tree at {@code root} and returns the new root. Only the
     * nodes the edits touch are read and rewritten.
     */
    public Hash apply(Hash root, List<Edit> edits) {
        for (int i = 1; i < edits.size(); i++) {
            if (KEY_ORDER.compare(edits.get(i - 1).key(), edits.get(i).key()) >= 0) {
                throw new IllegalArgumentException("edits must be in strictly ascending key order");
            }
        }
        Chunk rootChunk = store.load(root);
        if (edits.size() <= PREFETCH_LIMIT) {
            paths.prefetchPaths(rootChunk, edits.stream().map(Edit::key).toList());
        }
        return mutator.apply(rootChunk, edits);
    }

    /** Most keys whose paths are announced at once: their leaves are held in memory while it runs. */
    public static final int PREFETCH_LIMIT = 4096;

    /**
     * Announces to the store every node on the paths from {@code root} to these keys (ascending, at most
     * {@value #PREFETCH_LIMIT}), one level at a time, so a database store reads them in one query per level instead of
     * one per node. Lookups and edits of these keys that follow find their nodes quickly.
     */
    public void prefetch(Hash root, List<byte[]> sortedKeys) {
        if (sortedKeys.size() > PREFETCH_LIMIT) {
            throw new IllegalArgumentException("at most " + PREFETCH_LIMIT + " keys at once");
        }
        paths.prefetchPaths(store.load(root), sortedKeys);
    }

    /** The value stored under {@code key} at {@code root}, if any. */
    public Optional<byte[]> get(Hash root, byte[] key) {
        Chunk leaf = paths.locate(store.load(root), 0, key).chunk();
        int index = TreePaths.indexOf(leaf.entries(), key);
        return index >= 0 ? Optional.of(leaf.entries().get(index).value()) : Optional.empty();
    }

    /** Every entry under {@code root} in key order. */
    public void forEach(Hash root, Consumer<Entry> action) {
        forEachLeaf(root, leaf -> leaf.entries().forEach(action));
    }

    /** Every leaf under {@code root} in key order. */
    public void forEachLeaf(Hash root, Consumer<Chunk> action) {
        Chunk chunk = store.load(root);
        if (chunk.isLeaf()) {
            action.accept(chunk);
            return;
        }
        for (Entry entry : chunk.entries()) {
            forEachLeaf(ChildRef.decode(entry.value()).hash(), action);
        }
    }

    /** The hashes of the leaves under {@code root} in key order (reads index nodes only). */
    public List<Hash> leafHashes(Hash root) {
        List<Hash> leaves = new ArrayList<>();
        collectLeaves(store.load(root), leaves);
        return leaves;
    }

    private void collectLeaves(Chunk chunk, List<Hash> leaves) {
        if (chunk.isLeaf()) {
            leaves.add(chunk.hash());
        } else if (chunk.level() == 1) {
            chunk.entries().forEach(entry -> leaves.add(ChildRef.decode(entry.value()).hash()));
        } else {
            chunk.entries().forEach(entry -> collectLeaves(store.load(ChildRef.decode(entry.value()).hash()), leaves));
        }
    }

    /** Number of records under {@code root}. */
    public long count(Hash root) {
        return store.load(root).records();
    }

    /**
     * The keys whose values differ between two trees: only leaves that are not shared by both are read, since a key
     * in a shared leaf has the same value on both sides.
     */
    public Difference diff(Hash from, Hash to) {
        if (from.equals(to)) {
            return new Difference(List.of(), List.of(), List.of());
        }
        List<Hash> fromLeaves = leafHashes(from);
        List<Hash> toLeaves = leafHashes(to);
        Set<Hash> shared = new HashSet<>(fromLeaves);
        shared.retainAll(new HashSet<>(toLeaves));
        TreeMap<byte[], byte[]> before = new TreeMap<>(KEY_ORDER);
        fromLeaves.stream().filter(h -> !shared.contains(h)).forEach(h -> store.load(h).entries().forEach(e -> before.put(e.key(), e.value())));
        TreeMap<byte[], byte[]> after = new TreeMap<>(KEY_ORDER);
        toLeaves.stream().filter(h -> !shared.contains(h)).forEach(h -> store.load(h).entries().forEach(e -> after.put(e.key(), e.value())));
        List<byte[]> added = new ArrayList<>();
        List<byte[]> removed = new ArrayList<>();
        List<byte[]> changed = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> entry : after.entrySet()) {
            byte[] old = before.get(entry.getKey());
            if (old == null) {
                added.add(entry.getKey());
            } else if (!Arrays.equals(old, entry.getValue())) {
                changed.add(entry.getKey());
            }
        }
        for (byte[] key : before.keySet()) {
            if (!after.containsKey(key)) {
                removed.add(key);
            }
        }
        return new Difference(added, removed, changed);
    }

    /** Keys added, removed and changed from one version to another, each in key order. */
    public record Difference(List<byte[]> added, List<byte[]> removed, List<byte[]> changed) {
    }
}
