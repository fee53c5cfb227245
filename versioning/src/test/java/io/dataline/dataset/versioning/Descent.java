package io.dataline.dataset.versioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tests' own descent from a root to the leaf whose range holds a key: one node a level, each child found by a
 * linear scan of its parent's entries. Written apart from {@link TreePaths}, whose kept-path searches the tests compare
 * with it.
 */
final class Descent {

    private Descent() {
    }

    /** The nodes from the root down to the leaf whose range holds {@code key} (past the last key: the last leaf). */
    static List<Chunk> path(ChunkStore store, Hash root, byte[] key) {
        List<Chunk> path = new ArrayList<>();
        Chunk node = store.load(root);
        path.add(node);
        while (!node.isLeaf()) {
            List<Entry> children = node.entries();
            int index = 0;
            while (index < children.size() - 1 && Arrays.compareUnsigned(children.get(index).key(), key) < 0) {
                index++;
            }
            node = store.load(ChildRef.decode(children.get(index).value()).hash());
            path.add(node);
        }
        return path;
    }
}
