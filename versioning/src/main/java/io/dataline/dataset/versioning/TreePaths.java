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
     * Reads, one level at a time and each level in one batch, the nodes on the paths to these keys (ascending) and the
     * node right after each of them: an edit whose re-cut does not end where its node ended runs on into that next node
     * (about a third of random edits in format 3), which would otherwise be read by a query of its own.
     */
    void prefetchPaths(Chunk root, List<byte[]> keys) {
        if (root.isLeaf() || keys.isEmpty()) {
            return;
        }
        Map<Hash, Chunk> known = new HashMap<>();
        known.put(root.hash(), root);
        List<Chunk> parents = List.of(root);
        // whether parents[i + 1] is the node right after parents[i] on their level (so its first child follows the last of i's)
        boolean[] followedByNext = new boolean[1];
        while (!parents.isEmpty() && parents.get(0).level() > 0) {
            // the children wanted, as (parent, entry) positions in key order, without repeats
            List<int[]> wanted = new ArrayList<>();
            int chunk = 0;
            for (byte[] key : keys) {
                // parents are in key order and so are the keys: move on to the parent whose range holds the key
                while (chunk < parents.size() - 1 && KEY_ORDER.compare(lastKey(parents.get(chunk)), key) < 0) {
                    chunk++;
                }
                int size = parents.get(chunk).entries().size();
                int index = Math.min(firstAtLeast(parents.get(chunk).entries(), key), size - 1);
                want(wanted, chunk, index);
                if (index + 1 < size) {
                    want(wanted, chunk, index + 1);
                } else if (followedByNext[chunk]) {
                    want(wanted, chunk + 1, 0);
                }
            }
            List<Hash> wantedHashes = new ArrayList<>(wanted.size());
            boolean[] childFollowedByNext = new boolean[wanted.size()];
            for (int i = 0; i < wanted.size(); i++) {
                int[] at = wanted.get(i);
                wantedHashes.add(ChildRef.decode(parents.get(at[0]).entries().get(at[1]).value()).hash());
                if (i + 1 < wanted.size()) {
                    int[] after = wanted.get(i + 1);
                    childFollowedByNext[i] = after[0] == at[0] && after[1] == at[1] + 1
                            || after[0] == at[0] + 1 && after[1] == 0 && at[1] == parents.get(at[0]).entries().size() - 1 && followedByNext[at[0]];
                }
            }
            store.prefetch(new LinkedHashSet<>(wantedHashes));
            List<Chunk> next = new ArrayList<>(wanted.size());
            for (Hash child : wantedHashes) {
                next.add(known.computeIfAbsent(child, store::load));
            }
            parents = next;
            followedByNext = childFollowedByNext;
        }
    }

    /** Adds the position if it comes after every one added so far (they come in key order, a node after its own). */
    private static void want(List<int[]> wanted, int parent, int entry) {
        int[] last = wanted.isEmpty() ? null : wanted.get(wanted.size() - 1);
        if (last == null || parent > last[0] || parent == last[0] && entry > last[1]) {
            wanted.add(new int[] {parent, entry});
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
                child[i] = ChildRef.decode(entries.get(index).value()).hash();
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

    Located locate(Chunk root, int level, byte[] key) {
        return descend(root, level, key, false);
    }

    Located next(Chunk root, int level, byte[] afterKey) {
        return descend(root, level, afterKey, true);
    }

    /**
     * From the root down to the node at {@code level} whose range holds {@code key} (past the last key: the last node),
     * or with {@code after} the node holding the first key after it; {@code last} says whether it is the level's last.
     */
    private Located descend(Chunk root, int level, byte[] key, boolean after) {
        Chunk chunk = root;
        boolean last = true;
        while (chunk.level() > level) {
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
            chunk = store.load(ChildRef.decode(entries.get(index).value()).hash());
        }
        return new Located(chunk, last);
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
