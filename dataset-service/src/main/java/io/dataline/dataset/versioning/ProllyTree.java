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
 * A prolly tree (probabilistic B-tree) over records sorted by key, stored as content-addressed {@link Chunk}s.
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
    private static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;

    private final ChunkStore store;

    public ProllyTree(ChunkStore store) {
        this.store = store;
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
        Builder builder = new Builder(0);
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
        return build(sorted, 0);
    }

    private Hash build(Iterator<Entry> sorted, int level) {
        Builder builder = new Builder(level);
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
        int top = rootChunk.level();
        if (edits.size() <= PREFETCH_LIMIT) {
            prefetchPaths(rootChunk, edits.stream().map(Edit::key).toList());
        }
        List<Edit> levelEdits = edits;
        for (int level = 0; level <= top; level++) {
            if (levelEdits.isEmpty()) {
                return root;
            }
            LevelChange change = applyAtLevel(rootChunk, level, levelEdits);
            if (level == top) {
                return newRoot(change.emitted(), top);
            }
            levelEdits = parentEdits(change);
        }
        throw new IllegalStateException("unreachable");
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
        prefetchPaths(store.load(root), sortedKeys);
    }

    private void prefetchPaths(Chunk root, List<byte[]> keys) {
        if (root.isLeaf() || keys.isEmpty()) {
            return;
        }
        java.util.Map<Hash, Chunk> known = new java.util.HashMap<>();
        known.put(root.hash(), root);
        List<Chunk> parents = List.of(root);
        while (!parents.isEmpty() && parents.get(0).level() > 0) {
            java.util.LinkedHashSet<Hash> children = new java.util.LinkedHashSet<>();
            int chunk = 0;
            for (byte[] key : keys) {
                // parents are in key order and so are the keys: move on to the parent whose range holds the key
                while (chunk < parents.size() - 1 && KEY_ORDER.compare(lastKey(parents.get(chunk)), key) < 0) {
                    chunk++;
                }
                List<Entry> entries = parents.get(chunk).entries();
                int index = Math.min(firstAtLeast(entries, key), entries.size() - 1);
                children.add(ChildRef.decode(entries.get(index).value()).hash());
            }
            store.prefetch(children);
            List<Chunk> next = new ArrayList<>(children.size());
            for (Hash child : children) {
                next.add(known.computeIfAbsent(child, store::load));
            }
            parents = next;
        }
    }

    private static byte[] lastKey(Chunk chunk) {
        List<Entry> entries = chunk.entries();
        return entries.get(entries.size() - 1).key();
    }

    /** The value stored under {@code key} at {@code root}, if any. */
    public Optional<byte[]> get(Hash root, byte[] key) {
        Chunk leaf = locate(store.load(root), 0, key).chunk();
        int index = indexOf(leaf.entries(), key);
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

    // --- incremental update -------------------------------------------------------------------------------------

    /** The nodes of one level an update consumed (old) and the nodes it emitted in their place (new), in order. */
    private record LevelChange(List<Chunk> consumed, List<Chunk> emitted) {
    }

    /** A node found by descending from the root, and whether it is the last node of its level. */
    private record Located(Chunk chunk, boolean last) {
    }

    private LevelChange applyAtLevel(Chunk root, int level, List<Edit> edits) {
        List<Chunk> consumed = new ArrayList<>();
        List<Chunk> emitted = new ArrayList<>();
        Chunker chunker = new Chunker(level, emitted::add);
        int i = 0;
        while (i < edits.size()) {
            Located current = locate(root, level, edits.get(i).key());
            while (true) {
                Chunk node = current.chunk();
                List<Entry> olds = node.entries();
                int j = 0;
                while (j < olds.size() || (i < edits.size() && (current.last() || KEY_ORDER.compare(edits.get(i).key(), node.lastKey()) <= 0))) {
                    Edit edit = i < edits.size() ? edits.get(i) : null;
                    boolean editInRange = edit != null && (current.last() || KEY_ORDER.compare(edit.key(), node.lastKey()) <= 0);
                    int order = !editInRange ? 1 : j >= olds.size() ? -1 : KEY_ORDER.compare(edit.key(), olds.get(j).key());
                    if (order < 0) {
                        if (!edit.isDelete()) {
                            chunker.add(new Entry(edit.key(), edit.value()));
                        }
                        i++;
                    } else if (order == 0) {
                        if (!edit.isDelete()) {
                            chunker.add(new Entry(edit.key(), edit.value()));
                        }
                        i++;
                        j++;
                    } else {
                        chunker.add(olds.get(j));
                        j++;
                    }
                }
                consumed.add(node);
                if (chunker.atBoundary()) {
                    break; // the new sequence ends where an old node ended: everything after is shared
                }
                if (current.last()) {
                    chunker.flush();
                    break;
                }
                current = next(root, level, node.lastKey());
            }
        }
        return new LevelChange(consumed, emitted);
    }

    private static List<Edit> parentEdits(LevelChange change) {
        TreeMap<byte[], Edit> edits = new TreeMap<>(KEY_ORDER);
        Map<byte[], Hash> removed = new TreeMap<>(KEY_ORDER);
        for (Chunk old : change.consumed()) {
            if (!old.entries().isEmpty()) {
                edits.put(old.lastKey(), Edit.delete(old.lastKey()));
                removed.put(old.lastKey(), old.hash());
            }
        }
        for (Chunk fresh : change.emitted()) {
            if (fresh.hash().equals(removed.get(fresh.lastKey()))) {
                edits.remove(fresh.lastKey()); // rewritten identically: the parent entry stands
            } else {
                edits.put(fresh.lastKey(), Edit.put(fresh.lastKey(), reference(fresh).value()));
            }
        }
        return new ArrayList<>(edits.values());
    }

    private Hash newRoot(List<Chunk> top, int level) {
        if (top.isEmpty()) {
            return empty();
        }
        if (top.size() > 1) {
            return build(top.stream().map(ProllyTree::reference).iterator(), level + 1);
        }
        Chunk root = top.get(0);
        while (!root.isLeaf() && root.entries().size() == 1) {
            root = store.load(ChildRef.decode(root.entries().get(0).value()).hash());
        }
        return root.hash();
    }

    private Located locate(Chunk root, int level, byte[] key) {
        Chunk chunk = root;
        boolean last = true;
        while (chunk.level() > level) {
            List<Entry> entries = chunk.entries();
            int index = firstAtLeast(entries, key);
            if (index == entries.size()) {
                index = entries.size() - 1;
            }
            last &= index == entries.size() - 1;
            chunk = store.load(ChildRef.decode(entries.get(index).value()).hash());
        }
        return new Located(chunk, last);
    }

    private Located next(Chunk root, int level, byte[] afterKey) {
        Chunk chunk = root;
        boolean last = true;
        while (chunk.level() > level) {
            List<Entry> entries = chunk.entries();
            int index = firstAtLeast(entries, afterKey);
            if (index < entries.size() && KEY_ORDER.compare(entries.get(index).key(), afterKey) == 0) {
                index++;
            }
            if (index == entries.size()) {
                throw new IllegalStateException("no node after the last one");
            }
            last &= index == entries.size() - 1;
            chunk = store.load(ChildRef.decode(entries.get(index).value()).hash());
        }
        return new Located(chunk, last);
    }

    private static int firstAtLeast(List<Entry> entries, byte[] key) {
        int low = 0;
        int high = entries.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (KEY_ORDER.compare(entries.get(mid).key(), key) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private static int indexOf(List<Entry> entries, byte[] key) {
        int index = firstAtLeast(entries, key);
        return index < entries.size() && KEY_ORDER.compare(entries.get(index).key(), key) == 0 ? index : -1;
    }

    static Entry reference(Chunk child) {
        return new Entry(child.lastKey(), new ChildRef(child.hash(), child.records()).encode());
    }

    static boolean isBoundary(int level, Entry entry) {
        if (level == 0) {
            return Hash.sha256(entry.value()).prefix() % LEAF_FANOUT == 0;
        }
        return ChildRef.decode(entry.value()).hash().prefix() % INDEX_FANOUT == 0;
    }

    // --- chunking ----------------------------------------------------------------------------------------------

    /** Cuts one level's entry stream into chunks at content-defined boundaries and stores them. */
    private final class Chunker {
        private final int level;
        private final Consumer<Chunk> emit;
        private List<Entry> pending = new ArrayList<>();

        Chunker(int level, Consumer<Chunk> emit) {
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
    }

    /** Builds levels bottom-up; a parent level exists only once its child level has emitted a second node. */
    private final class Builder {
        private final int level;
        private final Chunker chunker;
        private Chunk first;
        private Builder parent;

        Builder(int level) {
            this.level = level;
            this.chunker = new Chunker(level, this::emitted);
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
                parent = new Builder(level + 1);
                parent.add(reference(first));
            }
            parent.add(reference(chunk));
        }

        Hash finish() {
            chunker.flush();
            if (parent != null) {
                return parent.finish();
            }
            if (first != null) {
                return first.hash();
            }
            return empty();
        }
    }
}
