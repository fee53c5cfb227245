package io.dataline.dataset.versioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** Finding nodes in a stored tree: the path to a key at a level, the node after one, the paths of many keys at once. */
final class TreePaths {

    static final Comparator<byte[]> KEY_ORDER = Arrays::compareUnsigned;

    /** A node found by descending from the root, and whether it is the last node of its level. */
    record Located(Chunk chunk, boolean last) {
    }

    private final ChunkStore store;

    TreePaths(ChunkStore store) {
        this.store = store;
    }

    /**
     * Reads, one level at a time and each level in one batch, the nodes on the paths to these keys (ascending). The
     * nodes after them, into which a re-cut may run on, are not read here: {@link TreeMutator} reads those it needs.
     */
    void prefetchPaths(Chunk root, List<byte[]> keys) {
        if (root.isLeaf() || keys.isEmpty()) {
            return;
        }
        Map<Hash, Chunk> known = new HashMap<>();
        known.put(root.hash(), root);
        List<Chunk> parents = List.of(root);
        while (!parents.isEmpty() && parents.get(0).level() > 0) {
            // the children on the keys' paths, in key order, without repeats
            LinkedHashSet<Hash> wanted = new LinkedHashSet<>();
            int chunk = 0;
            for (byte[] key : keys) {
                // parents are in key order and so are the keys: move on to the parent whose range holds the key
                while (chunk < parents.size() - 1 && KEY_ORDER.compare(lastKey(parents.get(chunk)), key) < 0) {
                    chunk++;
                }
                List<Entry> entries = parents.get(chunk).entries();
                int index = Math.min(firstAtLeast(entries, key), entries.size() - 1);
                wanted.add(ChildRef.hashOf(entries.get(index).value()));
            }
            store.prefetch(wanted);
            if (parents.get(0).level() == 1) {
                return; // leaves: announced, and read by whoever needs them
            }
            List<Chunk> next = new ArrayList<>(wanted.size());
            for (Hash child : wanted) {
                next.add(known.computeIfAbsent(child, store::load));
            }
            parents = next;
        }
    }

    /**
     * The values of these keys (ascending) under {@code root}, null where absent: each key's node is followed down one
     * level at a time, and each level's children are read in one batch (leaves without keeping them in a cache).
     */
    byte[][] lookupAll(Chunk root, List<byte[]> keys) {
        Chunk[] at = new Chunk[keys.size()];
        java.util.Arrays.fill(at, root);
        int level = root.level();
        while (level > 0) {
            Hash[] child = new Hash[keys.size()];
            LinkedHashSet<Hash> wanted = new LinkedHashSet<>();
            for (int i = 0; i < keys.size(); i++) {
                List<Entry> entries = at[i].entries();
                int index = Math.min(firstAtLeast(entries, keys.get(i)), entries.size() - 1);
                child[i] = ChildRef.hashOf(entries.get(index).value());
                wanted.add(child[i]);
            }
            level--;
            Map<Hash, Chunk> loaded = store.loadAll(wanted, level > 0);
            for (int i = 0; i < keys.size(); i++) {
                at[i] = loaded.get(child[i]);
            }
        }
        byte[][] values = new byte[keys.size()][];
        for (int i = 0; i < keys.size(); i++) {
            int index = indexOf(at[i].entries(), keys.get(i));
            values[i] = index >= 0 ? at[i].entries().get(index).value() : null;
        }
        return values;
    }

    private static byte[] lastKey(Chunk chunk) {
        List<Entry> entries = chunk.entries();
        return entries.get(entries.size() - 1).key();
    }

    /** A {@link Cursor} for finding nodes at {@code level} (below the root's) of the tree under {@code root}. */
    Cursor cursor(Chunk root, int level) {
        return new Cursor(root, level);
    }

    /**
     * A node as its parent refers to it: its hash, whether it is the last node of its level, and its last key (the
     * key its parent holds it under).
     */
    record Ref(Hash hash, boolean last, byte[] lastKey) {
    }

    Located load(Ref ref) {
        return new Located(store.load(ref.hash()), ref.last());
    }

    /**
     * Finds nodes at one level of one tree, and keeps the path of the last one found: the next search starts from the
     * lowest node on that path whose key range holds the key, not from the root. A commit's edits are searched in key
     * order, so consecutive searches share most of their path (at 1M records, every node above level 1) and each costs
     * about one binary search and one node read instead of one per level. Searches in any order give the same answers;
     * only a search that goes back to an earlier key climbs further.
     */
    final class Cursor {

        private final Chunk root;
        private final int level;
        /** By level, from {@code level + 1} to the root's: the nodes on the last search's path. */
        private final Chunk[] nodes;
        /** By level: whether that node is the last of its level. */
        private final boolean[] lastOfLevel;
        /** By level: the key before that node's range (the previous sibling's last key); null for the first of a level. */
        private final byte[][] lowerBounds;
        /** The lowest level whose path node is known (the root's until the first search). */
        private int lowest;

        private Cursor(Chunk root, int level) {
            if (level < 0 || level > root.level()) {
                throw new IllegalArgumentException("level " + level + " is above the root's " + root.level());
            }
            this.root = root;
            this.level = level;
            this.nodes = new Chunk[root.level() + 1];
            this.lastOfLevel = new boolean[root.level() + 1];
            this.lowerBounds = new byte[root.level() + 1][];
            this.nodes[root.level()] = root;
            this.lastOfLevel[root.level()] = true;
            this.lowest = root.level();
        }

        /** The node at this level whose range holds {@code key} (past the last key: the last node). */
        Located locate(byte[] key) {
            return root.level() == level ? new Located(root, true) : load(childRef(key, false));
        }

        /**
         * The node at this level after the one whose last key is {@code afterKey}, as its parent refers to it: its hash
         * and whether it is its level's last node. Only the nodes above it are read.
         */
        Ref nextRef(byte[] afterKey) {
            if (root.level() == level) {
                throw new IllegalStateException("no node after the last one");
            }
            return childRef(afterKey, true);
        }

        /**
         * From the lowest node on the kept path whose range holds the position sought (the root holds every one) down to
         * the parent of the node at this level whose range holds {@code key}, or with {@code after} of the node holding
         * the first key after it, and that node's reference there.
         */
        private Ref childRef(byte[] key, boolean after) {
            int at = lowest;
            while (at < root.level() && !holds(at, key, after)) {
                at++;
            }
            Chunk chunk = nodes[at];
            boolean last = lastOfLevel[at];
            byte[] lower = lowerBounds[at];
            while (true) {
                List<Entry> entries = chunk.entries();
                int index = firstAtLeast(entries, key);
                if (after && index < entries.size() && KEY_ORDER.compare(entries.get(index).key(), key) == 0) {
                    index++;
                }
                if (index == entries.size()) {
                    if (after) {
                        throw new IllegalStateException("no node after the last one");
                    }
                    index = entries.size() - 1;
                }
                last &= index == entries.size() - 1;
                if (index > 0) {
                    lower = entries.get(index - 1).key();
                }
                Hash child = ChildRef.hashOf(entries.get(index).value());
                if (chunk.level() == level + 1) {
                    lowest = chunk.level();
                    return new Ref(child, last, entries.get(index).key());
                }
                chunk = store.load(child);
                nodes[chunk.level()] = chunk;
                lastOfLevel[chunk.level()] = last;
                lowerBounds[chunk.level()] = lower;
            }
        }

        /**
         * Whether the kept node at {@code at} holds the position sought: its range (after the previous sibling's last
         * key, up to its own last key, or on without end for a level's last node) holds {@code key}, or with
         * {@code after} holds a key after it.
         */
        private boolean holds(int at, byte[] key, boolean after) {
            byte[] lower = lowerBounds[at];
            if (lower != null) {
                int toLower = KEY_ORDER.compare(key, lower);
                if (after ? toLower < 0 : toLower <= 0) {
                    return false;
                }
            }
            int toLast = KEY_ORDER.compare(key, nodes[at].lastKey());
            return after ? toLast < 0 : toLast <= 0 || lastOfLevel[at];
        }
    }

    static int firstAtLeast(List<Entry> entries, byte[] key) {
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

    static int indexOf(List<Entry> entries, byte[] key) {
        int index = firstAtLeast(entries, key);
        return index < entries.size() && KEY_ORDER.compare(entries.get(index).key(), key) == 0 ? index : -1;
    }
}
