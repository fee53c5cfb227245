package io.dataline.dataset.versioning;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The walk behind {@link ProllyTree#diff(Hash, Hash, ProllyTree.DiffVisitor)}: the leaves of both trees side by side, in
 * key order. A leaf both trees share (same hash at the same point of the walk) is skipped unread, since its keys have
 * the same values on both sides; the leaves that differ are read one at a time and not kept. Memory stays at two
 * leaves and two index paths whatever the size of the versions or of their difference.
 */
final class TreeDiff {

    private static final Comparator<byte[]> KEY_ORDER = TreePaths.KEY_ORDER;

    private final LeafCursor before;
    private final LeafCursor after;

    TreeDiff(ChunkStore store, Iterator<Hash> fromLeaves, Iterator<Hash> toLeaves) {
        this.before = new LeafCursor(store, fromLeaves);
        this.after = new LeafCursor(store, toLeaves);
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

    /** A position in the entries of one tree, leaf by leaf. */
    private static final class LeafCursor {
        private final ChunkStore store;
        private final Iterator<Hash> leaves;
        private Hash upcoming;
        private List<Entry> entries = List.of();
        private int position;

        LeafCursor(ChunkStore store, Iterator<Hash> leaves) {
            this.store = store;
            this.leaves = leaves;
            this.upcoming = leaves.hasNext() ? leaves.next() : null;
        }

        boolean atLeafStart() {
            return position == entries.size();
        }

        Hash upcoming() {
            return upcoming;
        }

        void skipLeaf() {
            upcoming = leaves.hasNext() ? leaves.next() : null;
        }

        /** The current entry, reading the next leaf when this one is done; null at the end. */
        Entry entry() {
            while (position == entries.size()) {
                if (upcoming == null) {
                    return null;
                }
                entries = store.loadAll(List.of(upcoming), false).get(upcoming).entries();
                position = 0;
                skipLeaf();
            }
            return entries.get(position);
        }

        void advance() {
            position++;
        }
    }
}
