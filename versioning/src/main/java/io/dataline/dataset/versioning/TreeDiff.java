package io.dataline.dataset.versioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The walk behind {@link ProllyTree#diff(Hash, Hash, ProllyTree.DiffVisitor)}: the leaves of both trees side by side, in
 * key order. Wherever both sides start a subtree with the same hash (a leaf, or an index node at any level) the whole
 * subtree is skipped unread, since its keys have the same values on both sides: the walk reads the index nodes on the
 * paths to the leaves that differ and the nodes beside them, not every index node of both trees, so its cost follows
 * the changes and the depth, not the size of the versions. The leaves that differ are read one at a time and not kept.
 * Memory stays at two leaves and two index paths whatever the size of the versions or of their difference.
 */
final class TreeDiff {

    private static final Comparator<byte[]> KEY_ORDER = TreePaths.KEY_ORDER;

    private final LeafCursor before;
    private final LeafCursor after;

    TreeDiff(ChunkStore store, Hash from, Hash to) {
        this.before = new LeafCursor(store, from);
        this.after = new LeafCursor(store, to);
    }

    void run(ProllyTree.DiffVisitor visitor) {
        while (true) {
            if (before.atLeafStart() && after.atLeafStart()) {
                int level = sharedSubtree();
                if (level >= 0) {
                    before.skip(level);
                    after.skip(level);
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

    /**
     * The highest level (0: the upcoming leaf) at which both sides start the same subtree here, or -1. Both sides are
     * at a leaf's start, past the same keys; a subtree with the same hash holds the same keys, so it starts at the same
     * key on both sides, and both skip it. The levels both sides know without reading are compared first (a node's
     * hash is in its parent); only when none is the same does a side read one node down, the side that knows least
     * deep, until both know their upcoming leaf.
     */
    private int sharedSubtree() {
        while (true) {
            int low = Math.max(before.lowestKnown(), after.lowestKnown());
            int high = Math.min(before.highestStarting(), after.highestStarting());
            if (before.lowestKnown() < 0 || after.lowestKnown() < 0) {
                return -1; // a side is at its end
            }
            for (int level = high; level >= low; level--) {
                Hash ours = before.startingAt(level);
                if (ours != null && ours.equals(after.startingAt(level))) {
                    return level;
                }
            }
            if (low == 0) {
                return -1; // the upcoming leaves differ
            }
            if (before.lowestKnown() == low) {
                before.descendOne();
            }
            if (after.lowestKnown() == low) {
                after.descendOne();
            }
        }
    }

    /** An index node on a cursor's path, and which of its children the cursor is at. */
    private static final class Frame {
        final Chunk node;
        int child;

        Frame(Chunk node) {
            this.node = node;
        }

        Hash childHash() {
            return ChildRef.hashOf(node.entries().get(child).value());
        }
    }

    /**
     * A position in the entries of one tree, leaf by leaf. Between leaves it is the start of the bottom frame's current
     * child, a subtree not read yet: the path of index nodes above it (the root's frame first) is read down only as far
     * as the walk needs.
     */
    private static final class LeafCursor {
        private final ChunkStore store;
        private final Hash root;
        private final List<Frame> path = new ArrayList<>();
        /** A tree that is a single leaf: true until the cursor passes it. */
        private boolean singleLeaf;
        private List<Entry> entries = List.of();
        private int position;

        LeafCursor(ChunkStore store, Hash root) {
            this.store = store;
            this.root = root;
            Chunk top = store.load(root);
            if (top.isLeaf()) {
                singleLeaf = true;
            } else {
                prefetchChildren(top);
                path.add(new Frame(top));
            }
        }

        /** A database store reads the index children of a node above level 1 in one query, as a scan of the tree does. */
        private void prefetchChildren(Chunk node) {
            if (node.level() >= 2) {
                List<Hash> children = new ArrayList<>(node.entries().size());
                for (Entry entry : node.entries()) {
                    children.add(ChildRef.hashOf(entry.value()));
                }
                store.prefetch(children);
            }
        }

        /** The lowest level of a subtree known to start here without reading (0: the upcoming leaf); -1 at the end. */
        int lowestKnown() {
            if (singleLeaf) {
                return 0;
            }
            return path.isEmpty() ? -1 : path.get(path.size() - 1).node.level() - 1;
        }

        /** The highest level of a subtree that starts here; -1 at the end. */
        int highestStarting() {
            if (singleLeaf) {
                return 0;
            }
            int i = path.size() - 1;
            if (i < 0) {
                return -1;
            }
            int level = path.get(i).node.level() - 1;
            while (i >= 0 && path.get(i).child == 0) {
                level = path.get(i).node.level();
                i--;
            }
            return level;
        }

        /** The hash of the subtree at this level that starts here, or null: none starts here, or it is not read yet. */
        Hash startingAt(int level) {
            if (singleLeaf) {
                return level == 0 ? root : null;
            }
            for (int i = path.size() - 1; i >= 0; i--) {
                Frame frame = path.get(i);
                if (frame.node.level() - 1 == level) {
                    return frame.childHash(); // the frame's current child
                }
                if (frame.child != 0) {
                    return null; // the nodes from here up started before this position
                }
                if (frame.node.level() == level) {
                    return i == 0 ? root : path.get(i - 1).childHash();
                }
            }
            return null;
        }

        /** Reads the bottom frame's current child, an index node, and goes into it at its first child. */
        void descendOne() {
            Chunk child = store.load(path.get(path.size() - 1).childHash());
            prefetchChildren(child);
            path.add(new Frame(child));
        }

        boolean atLeafStart() {
            return position == entries.size();
        }

        /** Passes the subtree that starts here at {@code level} (0: the upcoming leaf) without reading it. */
        void skip(int level) {
            if (singleLeaf) {
                singleLeaf = false;
                return;
            }
            // the frame whose current child is that subtree: the one a level above it (none: the subtree is the whole tree)
            while (!path.isEmpty() && path.get(path.size() - 1).node.level() != level + 1) {
                path.remove(path.size() - 1);
            }
            while (!path.isEmpty()) {
                Frame bottom = path.get(path.size() - 1);
                bottom.child++;
                if (bottom.child < bottom.node.entries().size()) {
                    return;
                }
                path.remove(path.size() - 1);
            }
        }

        /** The current entry, reading the next leaf when this one is done; null at the end. */
        Entry entry() {
            while (position == entries.size()) {
                if (lowestKnown() < 0) {
                    return null;
                }
                while (lowestKnown() > 0) {
                    descendOne();
                }
                Hash leaf = singleLeaf ? root : path.get(path.size() - 1).childHash();
                entries = store.loadAll(List.of(leaf), false).get(leaf).entries();
                position = 0;
                skip(0);
            }
            return entries.get(position);
        }

        void advance() {
            position++;
        }
    }
}
