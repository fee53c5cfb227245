package io.dataline.dataset.versioning;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The walk behind {@link ProllyTree#diff(Hash, Hash, ProllyTree.DiffVisitor)}: the leaves of both trees side by side, in
 * key order. A leaf both trees share (same hash at the same point of the walk) is skipped unread, since its keys have
 * the same values on both sides; the leaves that differ are read and not kept. They are read together: when a side
 * needs a leaf, the next {@value #WINDOW} leaf hashes of each side are looked at, and those of one side that the
 * other's window lacks (the leaves the walk will read, bar a misaligned stretch) are read with it in one
 * {@link ChunkStore#loadAll} — a database store's one query instead of one per leaf. Memory stays at two index paths,
 * two windows of hashes and the leaves read ahead of the walk (at most two windows' worth) whatever the size of the
 * versions or of their difference.
 */
final class TreeDiff {

    private static final Comparator<byte[]> KEY_ORDER = TreePaths.KEY_ORDER;

    /** Leaf hashes looked at ahead of each side when leaves are read. */
    static final int WINDOW = 128;

    private final ChunkStore store;
    private final LeafCursor before;
    private final LeafCursor after;
    /** Leaves read ahead of the walk, by hash, until a side reaches or skips them. */
    private final Map<Hash, Chunk> readAhead = new HashMap<>();

    TreeDiff(ChunkStore store, Iterator<Hash> fromLeaves, Iterator<Hash> toLeaves) {
        this.store = store;
        this.before = new LeafCursor(fromLeaves);
        this.after = new LeafCursor(toLeaves);
    }

    /**
     * The leaf a side is at, read now with the leaves of both windows that the other side's window lacks, or taken
     * from those read before.
     */
    private Chunk read(LeafCursor side, Hash leaf) {
        Chunk chunk = readAhead.remove(leaf);
        if (chunk != null) {
            return chunk;
        }
        LeafCursor other = side == before ? after : before;
        Set<Hash> ours = side.window();
        Set<Hash> theirs = other.window();
        Set<Hash> batch = new LinkedHashSet<>();
        batch.add(leaf);
        for (Hash hash : ours) {
            if (!theirs.contains(hash) && !readAhead.containsKey(hash)) {
                batch.add(hash);
            }
        }
        for (Hash hash : theirs) {
            if (!ours.contains(hash) && !readAhead.containsKey(hash)) {
                batch.add(hash);
            }
        }
        Map<Hash, Chunk> loaded = store.loadAll(batch, false);
        chunk = loaded.remove(leaf);
        if (chunk == null) {
            throw new IllegalStateException("chunk " + leaf + " of a version is missing from the store");
        }
        // every hash of a side leaves the map when that side reads or skips its leaf, so it holds no more than the
        // leaves of the two windows ahead of the sides
        readAhead.putAll(loaded);
        return chunk;
    }

    void run(ProllyTree.DiffVisitor visitor) {
        while (true) {
            if (before.atLeafStart() && after.atLeafStart()) {
                Hash a = before.upcoming();
                if (a != null && a.equals(after.upcoming())) {
                    before.skipLeaf();
                    after.skipLeaf();
                    continue;
                }
            }
            Entry old = before.entry();
            Entry now = after.entry();
            if (old == null && now == null) {
                return;
            }
            int order = old == null ? 1 : now == null ? -1 : KEY_ORDER.compare(old.key(), now.key());
            if (order < 0) {
                visitor.removed(old.key());
                before.advance();
            } else if (order > 0) {
                visitor.added(now.key());
                after.advance();
            } else {
                if (!Arrays.equals(old.value(), now.value())) {
                    visitor.changed(now.key());
                }
                before.advance();
                after.advance();
            }
        }
    }

    /** A position in the entries of one tree, leaf by leaf, with the hashes of the leaves ahead of it. */
    private final class LeafCursor {
        private final Iterator<Hash> leaves;
        /** The upcoming leaf first, then up to {@link #WINDOW} - 1 after it, as they come from {@link #leaves}. */
        private final ArrayDeque<Hash> ahead = new ArrayDeque<>();
        private List<Entry> entries = List.of();
        private int position;

        LeafCursor(Iterator<Hash> leaves) {
            this.leaves = leaves;
            fill(1);
        }

        private void fill(int count) {
            while (ahead.size() < count && leaves.hasNext()) {
                ahead.addLast(leaves.next());
            }
        }

        /** The hashes of the upcoming leaf and of those after it, up to {@link #WINDOW}. */
        Set<Hash> window() {
            fill(WINDOW);
            return new HashSet<>(ahead);
        }

        boolean atLeafStart() {
            return position == entries.size();
        }

        Hash upcoming() {
            return ahead.peekFirst();
        }

        void skipLeaf() {
            Hash skipped = ahead.pollFirst();
            if (skipped != null) {
                readAhead.remove(skipped);
            }
            fill(1);
        }

        /** The current entry, reading the next leaf when this one is done; null at the end. */
        Entry entry() {
            while (position == entries.size()) {
                Hash upcoming = ahead.pollFirst();
                if (upcoming == null) {
                    return null;
                }
                entries = read(this, upcoming).entries();
                position = 0;
                fill(1);
            }
            return entries.get(position);
        }

        void advance() {
            position++;
        }
    }
}
