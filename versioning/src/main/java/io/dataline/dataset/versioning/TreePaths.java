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
                wanted.add(ChildRef.decode(entries.get(index).value()).hash());
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
        return root.level() == level ? new Located(root, true) : load(childRef(root, level, key, false));
    }

    /**
     * The node at {@code level} after the one whose last key is {@code afterKey}, as its parent refers to it: its hash
     * and whether it is its level's last node. Only the nodes above it are read.
     */
    Ref nextRef(Chunk root, int level, byte[] afterKey) {
        if (root.level() == level) {
            throw new IllegalStateException("no node after the last one");
        }
        return childRef(root, level, afterKey, true);
    }

    Located load(Ref ref) {
        return new Located(store.load(ref.hash()), ref.last());
    }

    /** A node as its parent refers to it, and whether it is the last node of its level. */
    record Ref(Hash hash, boolean last) {
    }

    /**
     * From the root (above {@code level}) down to the parent of the node at {@code level} whose range holds {@code key}
     * (past the last key: the last node), or with {@code after} the node holding the first key after it, and that
     * node's reference there.
     */
    private Ref childRef(Chunk root, int level, byte[] key, boolean after) {
        Chunk chunk = root;
        boolean last = true;
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
            Hash child = ChildRef.decode(entries.get(index).value()).hash();
            if (chunk.level() == level + 1) {
                return new Ref(child, last);
            }
            chunk = store.load(child);
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
