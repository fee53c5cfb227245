package io.dataline.dataset.versioning;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A prolly tree (probabilistic B-tree) over records sorted by key, stored as content-addressed {@link Chunk}s. Its
 * parts, one concept a file: {@link Chunker} (boundaries), {@link LevelBuilder} (bulk build), {@link TreeMutator}
 * (incremental edits), {@link TreePaths} (navigation); this class is the API.
 * <p>
 * Boundaries are content-defined, by the rule of a {@link TreeFormat}. Within a format the tree is a function of the
 * records alone: the same records give the same root whatever order they arrived in, and an edit changes only the
 * chunks on its path (plus a neighbour when a boundary record changes), so a commit costs in proportion to its changes
 * and unchanged chunks are shared between versions. The root is the lowest level that has a single node; an empty tree
 * is an empty leaf (the same in every format).
 */
public final class ProllyTree {

    private static final Comparator<byte[]> KEY_ORDER = TreePaths.KEY_ORDER;

    private final ChunkStore store;
    private final TreeFormat format;
    private final TreePaths paths;
    private final TreeMutator mutator;

    /** A tree to read: any format; building and applying edits need {@link #ProllyTree(ChunkStore, TreeFormat)}. */
    public ProllyTree(ChunkStore store) {
        this(store, null);
    }

    /** A tree to read and write in {@code format} (a dataset's: the hashes depend on it). */
    public ProllyTree(ChunkStore store, TreeFormat format) {
        this.store = store;
        this.format = format;
        this.paths = new TreePaths(store);
        this.mutator = format == null ? null : new TreeMutator(store, format, paths);
    }

    private TreeFormat format() {
        if (format == null) {
            throw new IllegalStateException("this tree was opened for reading: building or editing one needs its dataset's tree format");
        }
        return format;
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
        LevelBuilder builder = new LevelBuilder(store, format(), 0);
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
        LevelBuilder builder = new LevelBuilder(store, format(), 0);
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
        return apply(root, edits, false);
    }

    /**
     * {@link #apply}, for edits whose keys' paths at {@code root} were each announced by {@link #prefetch} on this tree
     * (a commit compares every change with the head's record first): their paths are not walked and announced again.
     * The result is the same either way; only nodes the store no longer holds would be read one at a time.
     */
    public Hash applyPrefetched(Hash root, List<Edit> edits) {
        return apply(root, edits, true);
    }

    private Hash apply(Hash root, List<Edit> edits, boolean announced) {
        format();
        for (int i = 1; i < edits.size(); i++) {
            if (KEY_ORDER.compare(edits.get(i - 1).key(), edits.get(i).key()) >= 0) {
                throw new IllegalArgumentException("edits must be in strictly ascending key order");
            }
        }
        Chunk rootChunk = store.load(root);
        boolean readAhead = edits.size() <= PREFETCH_LIMIT;
        if (readAhead && !announced) {
            paths.prefetchPaths(rootChunk, edits.stream().map(Edit::key).toList());
        }
        return mutator.apply(rootChunk, edits, readAhead && store.readsFromBackEnd());
    }

    /** Most keys whose paths are announced at once: their leaves are held in memory while it runs. */
    public static final int PREFETCH_LIMIT = 4096;

    /**
     * Announces to the store every node on the paths from {@code root} to these keys (ascending, at most
     * {@value #PREFETCH_LIMIT}), one level at a time, so a database store reads them in one query per level instead of
     * one per node. Lookups and edits of these keys that follow find their nodes quickly; the nodes an edit's re-cut runs
     * on into are read by {@link #apply}, which knows which it needs.
     */
    public void prefetch(Hash root, List<byte[]> sortedKeys) {
        if (sortedKeys.size() > PREFETCH_LIMIT) {
            throw new IllegalArgumentException("at most " + PREFETCH_LIMIT + " keys at once");
        }
        paths.prefetchPaths(store.load(root), sortedKeys);
    }

    /** The value stored under {@code key} at {@code root}, if any. */
    public Optional<byte[]> get(Hash root, byte[] key) {
        Chunk leaf = paths.cursor(store.load(root), 0).locate(key).chunk();
        int index = TreePaths.indexOf(leaf.entries(), key);
        return index >= 0 ? Optional.of(leaf.entries().get(index).value()) : Optional.empty();
    }

    /**
     * The values stored under these keys (ascending) at {@code root}, aligned with the keys (null where a key is
     * absent), each leaf found from the path to the one before ({@link TreePaths.Cursor}): one node read and one binary
     * search a key where the keys share the nodes above their leaves. Nodes are read one at a time: for keys whose nodes
     * are at hand (announced by {@link #prefetch}).
     */
    public byte[][] getInOrder(Hash root, List<byte[]> sortedKeys) {
        TreePaths.Cursor cursor = paths.cursor(store.load(root), 0);
        byte[][] values = new byte[sortedKeys.size()][];
        for (int i = 0; i < values.length; i++) {
            byte[] key = sortedKeys.get(i);
            List<Entry> entries = cursor.locate(key).chunk().entries();
            int index = TreePaths.indexOf(entries, key);
            values[i] = index >= 0 ? entries.get(index).value() : null;
        }
        return values;
    }

    /**
     * The values stored under these keys (strictly ascending, at most {@value #PREFETCH_LIMIT}) at {@code root},
     * aligned with the keys (null where a key is absent). The nodes are read one level at a time, each level in one
     * batched read; the leaves are not kept in the store's cache (a batch of scattered keys reads many leaves once).
     */
    public byte[][] getAll(Hash root, List<byte[]> sortedKeys) {
        if (sortedKeys.size() > PREFETCH_LIMIT) {
            throw new IllegalArgumentException("at most " + PREFETCH_LIMIT + " keys at once");
        }
        return paths.lookupAll(store.load(root), sortedKeys);
    }

    /** Every entry under {@code root} in key order. */
    public void forEach(Hash root, Consumer<Entry> action) {
        forEachLeaf(root, leaf -> leaf.entries().forEach(action));
    }

    /**
     * Leaves read together by a scan's first batch: few, since their size is not known yet (a leaf may be as large as
     * {@link Chunker}'s byte cap); later batches follow the bytes read.
     */
    static final int SCAN_BATCH = 8;
    /** Fewest and most leaves of one scan batch after the first. */
    static final int SCAN_FEWEST = 8;
    static final int SCAN_MOST = 256;
    /** The bytes a scan batch aims at: the size of the next batch follows the size of the leaves read so far. */
    static final long SCAN_BATCH_BYTES = 1024 * 1024;

    /**
     * Every leaf under {@code root} in key order, for a scan of the whole version: the index nodes are walked one path at
     * a time (through the cache: commits need them; each node's children read together), the leaves are read in
     * batches and not kept. The first batch takes {@value #SCAN_BATCH} leaves; each next one as many as make about
     * {@value #SCAN_BATCH_BYTES} bytes at the mean leaf size read so far (between {@value #SCAN_FEWEST} and
     * {@value #SCAN_MOST}), so a format of small leaves is not read in many small queries and one of large records does
     * not hold many of them. At most one batch of leaves is in memory (with a thread reading ahead: three).
     */
    public void forEachLeaf(Hash root, Consumer<Chunk> action) {
        forEachBatch(root, batch -> batch.forEach(action));
    }

    /**
     * {@link #forEachLeaf(Hash, Consumer)} with the reading one step ahead: the index walk and the batched leaf reads run
     * on a thread of {@code ahead} (which alone uses this tree's store), at most {@value #SCAN_AHEAD} batches ahead of
     * {@code action}, which runs on the caller's thread; so the store's reads and the action's work (an export's writes)
     * overlap. What the reading throws is thrown here; if the action throws, the reading stops.
     */
    public void forEachLeaf(Hash root, Consumer<Chunk> action, java.util.concurrent.Executor ahead) {
        java.util.concurrent.BlockingQueue<Object> batches = new java.util.concurrent.ArrayBlockingQueue<>(SCAN_AHEAD);
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Object end = new Object();
        ahead.execute(() -> {
            Object last = end;
            try {
                forEachBatch(root, batch -> handOver(batches, batch, stopped));
            } catch (ScanStopped e) {
                return;
            } catch (RuntimeException | Error e) {
                last = e;
            }
            try {
                handOver(batches, last, stopped);
            } catch (ScanStopped e) {
                // nobody is waiting any more
            }
        });
        try {
            while (true) {
                Object next = batches.take();
                if (next == end) {
                    return;
                }
                if (next instanceof RuntimeException e) {
                    throw e;
                }
                if (next instanceof Error e) {
                    throw e;
                }
                @SuppressWarnings("unchecked")
                List<Chunk> batch = (List<Chunk>) next;
                batch.forEach(action);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scanning a version", e);
        } finally {
            stopped.set(true);
            batches.clear();
        }
    }

    /** Batches a scan reads ahead of what consumes them. */
    static final int SCAN_AHEAD = 2;

    private static final class ScanStopped extends RuntimeException {
        ScanStopped() {
            super(null, null, false, false);
        }
    }

    private static void handOver(java.util.concurrent.BlockingQueue<Object> batches, Object item, java.util.concurrent.atomic.AtomicBoolean stopped) {
        try {
            while (!stopped.get()) {
                if (batches.offer(item, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new ScanStopped();
    }

    /** The leaves under {@code root} in key order, a batch at a time (each a new list, in key order). */
    private void forEachBatch(Hash root, Consumer<List<Chunk>> action) {
        Iterator<Hash> leaves = leaves(root);
        int batchSize = SCAN_BATCH;
        long leavesRead = 0;
        long bytesRead = 0;
        List<Hash> batch = new ArrayList<>(batchSize);
        while (leaves.hasNext()) {
            batch.add(leaves.next());
            if (batch.size() >= batchSize || !leaves.hasNext()) {
                Map<Hash, Chunk> loaded = store.loadAll(batch, false);
                List<Chunk> chunks = new ArrayList<>(batch.size());
                for (Hash hash : batch) {
                    Chunk leaf = loaded.get(hash);
                    bytesRead += leaf.encoded().length;
                    chunks.add(leaf);
                }
                leavesRead += batch.size();
                batch.clear();
                long perLeaf = Math.max(1, bytesRead / leavesRead);
                batchSize = (int) Math.max(SCAN_FEWEST, Math.min(SCAN_MOST, SCAN_BATCH_BYTES / perLeaf));
                action.accept(chunks);
            }
        }
    }

    /** Reads the children of an index node above level 1 (index nodes themselves) together, into the store's cache. */
    private void prefetchChildren(Chunk node) {
        List<Hash> children = new ArrayList<>(node.entries().size());
        for (Entry entry : node.entries()) {
            children.add(ChildRef.hashOf(entry.value()));
        }
        store.prefetch(children);
    }

    /** The hashes of the leaves under {@code root} in key order (reads index nodes only). */
    public List<Hash> leafHashes(Hash root) {
        List<Hash> hashes = new ArrayList<>();
        leaves(root).forEachRemaining(hashes::add);
        return hashes;
    }

    /**
     * The hashes of the leaves under {@code root} in key order, found lazily: only the index nodes on the current path
     * are held, so walking a version of any size takes memory in proportion to the tree's height.
     */
    public Iterator<Hash> leaves(Hash root) {
        Chunk top = store.load(root);
        if (top.isLeaf()) {
            return List.of(top.hash()).iterator();
        }
        if (top.level() >= 2) {
            prefetchChildren(top);
        }
        return new Iterator<>() {
            /** The entries still to visit of each index node on the path, the root's at the bottom. */
            private final Deque<Iterator<Entry>> path = new ArrayDeque<>(List.of(top.entries().iterator()));
            private final Deque<Integer> levels = new ArrayDeque<>(List.of(top.level()));
            private Hash next = advance();

            private Hash advance() {
                while (!path.isEmpty()) {
                    Iterator<Entry> entries = path.peek();
                    if (!entries.hasNext()) {
                        path.pop();
                        levels.pop();
                        continue;
                    }
                    Hash child = ChildRef.hashOf(entries.next().value());
                    int level = levels.peek();
                    if (level == 1) {
                        return child;
                    }
                    Chunk node = store.load(child);
                    if (level - 1 >= 2) {
                        prefetchChildren(node);
                    }
                    path.push(node.entries().iterator());
                    levels.push(level - 1);
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Hash next() {
                if (next == null) {
                    throw new java.util.NoSuchElementException();
                }
                Hash current = next;
                next = advance();
                return current;
            }
        };
    }

    /** Number of records under {@code root}. */
    public long count(Hash root) {
        return store.load(root).records();
    }

    /** Told each key whose value differs between two versions, in key order. */
    public interface DiffVisitor {
        void added(byte[] key);

        void removed(byte[] key);

        void changed(byte[] key);

        /** A visitor handing each kind of key to its own consumer. */
        static DiffVisitor of(Consumer<byte[]> added, Consumer<byte[]> removed, Consumer<byte[]> changed) {
            return new DiffVisitor() {
                @Override
                public void added(byte[] key) {
                    added.accept(key);
                }

                @Override
                public void removed(byte[] key) {
                    removed.accept(key);
                }

                @Override
                public void changed(byte[] key) {
                    changed.accept(key);
                }
            };
        }
    }

    /**
     * Reports the keys whose values differ between two trees, in key order, streamed with bounded memory
     * ({@link TreeDiff}: subtrees both share are skipped unread).
     */
    public void diff(Hash from, Hash to, DiffVisitor visitor) {
        if (!from.equals(to)) {
            new TreeDiff(store, from, to).run(visitor);
        }
    }

    /** Keys added, removed and changed from one version to another, each in key order (for small versions and tests). */
    public Difference diff(Hash from, Hash to) {
        List<byte[]> added = new ArrayList<>();
        List<byte[]> removed = new ArrayList<>();
        List<byte[]> changed = new ArrayList<>();
        diff(from, to, DiffVisitor.of(added::add, removed::add, changed::add));
        return new Difference(added, removed, changed);
    }

    /** Keys added, removed and changed from one version to another, each in key order. */
    public record Difference(List<byte[]> added, List<byte[]> removed, List<byte[]> changed) {
    }
}
