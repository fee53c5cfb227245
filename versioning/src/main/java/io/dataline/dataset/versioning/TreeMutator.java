package io.dataline.dataset.versioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies edits to a stored tree one level at a time, reading and rewriting only the nodes the edits touch: at each
 * level the touched nodes are re-chunked until the new sequence meets an old boundary again (everything after is
 * shared), and the nodes consumed and emitted become the edits of the level above.
 */
final class TreeMutator {

    private static final java.util.Comparator<byte[]> KEY_ORDER = TreePaths.KEY_ORDER;

    /** The nodes of one level an update consumed (old) and the nodes it emitted in their place (new), in order. */
    private record LevelChange(List<Chunk> consumed, List<Chunk> emitted) {
    }

    private final ChunkStore store;
    private final TreeFormat format;
    private final TreePaths paths;

    TreeMutator(ChunkStore store, TreeFormat format, TreePaths paths) {
        this.store = store;
        this.format = format;
        this.paths = paths;
    }

    /** The new root after {@code edits} (strictly ascending keys) at the tree whose root node is {@code rootChunk}. */
    Hash apply(Chunk rootChunk, List<Edit> edits) {
        int top = rootChunk.level();
        List<Edit> levelEdits = edits;
        for (int level = 0; level <= top; level++) {
            if (levelEdits.isEmpty()) {
                return rootChunk.hash();
            }
            LevelChange change = applyAtLevel(rootChunk, level, levelEdits);
            if (level == top) {
                return newRoot(change.emitted(), top);
            }
            levelEdits = parentEdits(change);
        }
        throw new IllegalStateException("unreachable");
    }

    private LevelChange applyAtLevel(Chunk root, int level, List<Edit> edits) {
        List<Chunk> consumed = new ArrayList<>();
        List<Chunk> emitted = new ArrayList<>();
        Chunker chunker = new Chunker(store, format, level, emitted::add);
        int i = 0;
        while (i < edits.size()) {
            TreePaths.Located current = paths.locate(root, level, edits.get(i).key());
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
                current = paths.next(root, level, node.lastKey());
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
                edits.put(fresh.lastKey(), Edit.put(fresh.lastKey(), Chunker.reference(fresh).value()));
            }
        }
        return new ArrayList<>(edits.values());
    }

    private Hash newRoot(List<Chunk> top, int level) {
        if (top.isEmpty() || top.size() > 1) {
            LevelBuilder builder = new LevelBuilder(store, format, top.isEmpty() ? 0 : level + 1);
            top.forEach(chunk -> builder.add(Chunker.reference(chunk)));
            return builder.finish();
        }
        Chunk root = top.get(0);
        while (!root.isLeaf() && root.entries().size() == 1) {
            root = store.load(ChildRef.decode(root.entries().get(0).value()).hash());
        }
        return root.hash();
    }
}
