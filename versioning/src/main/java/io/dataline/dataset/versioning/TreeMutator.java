package io.dataline.dataset.versioning;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;

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

    /**
     * The new root after {@code edits} (strictly ascending keys) at the tree whose root node is {@code rootChunk}. With
     * {@code readAhead}, each level first finds, without making any chunk, which nodes its re-cut runs on into, and reads
     * those the store does not have at hand in one batch per round (see {@link #readRunOns}).
     */
    Hash apply(Chunk rootChunk, List<Edit> edits, boolean readAhead) {
        int top = rootChunk.level();
        List<Edit> levelEdits = edits;
        for (int level = 0; level <= top; level++) {
            if (levelEdits.isEmpty()) {
                return rootChunk.hash();
            }
            if (readAhead && level < top) {
                readRunOns(rootChunk, level, levelEdits);
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
        TreePaths.Cursor cursor = paths.cursor(root, level);
        int i = 0;
        while (i < edits.size()) {
            Run run = new Run(cursor, edits, i, chunker);
            run.advance(consumed);
            i = run.next;
        }
        return new LevelChange(consumed, emitted);
    }

    /**
     * Reads the nodes this level's re-cut will run on into (the node after an edited one, when the new sequence does not
     * end where the edited node ended: about a third of random edits in format 3, and a third of those run on further)
     * that the store does not have at hand, before the re-cut: each run is first followed by a {@link Chunker#probe} until
     * it ends or needs such a node, then all those nodes are read in one batch and the runs waiting for them go on, round
     * after round. Only the nodes the re-cut reads are read, and the chunks are made once, afterwards. Where a probe
     * cannot tell (a run that turns out to run on into the next one's nodes), the re-cut reads what it misses itself.
     */
    private void readRunOns(Chunk root, int level, List<Edit> edits) {
        List<Run> waiting = new ArrayList<>();
        TreePaths.Cursor cursor = paths.cursor(root, level);
        int i = 0;
        while (i < edits.size()) {
            Run run = new Run(cursor, edits, i, Chunker.probe(format, level));
            if (!run.advance(null)) {
                waiting.add(run);
            }
            i = run.next;
        }
        while (!waiting.isEmpty()) {
            store.prefetch(waiting.stream().map(run -> run.wanted.hash()).collect(Collectors.toCollection(LinkedHashSet::new)));
            List<Run> still = new ArrayList<>();
            for (Run run : waiting) {
                run.current = paths.load(run.wanted);
                if (!run.advance(null)) {
                    still.add(run);
                }
            }
            waiting = still;
        }
    }

    /**
     * One stretch of a level's re-cut: from the node holding an edit, the edits merged into it and node after node
     * chunked until the new sequence ends where an old node ended (everything after is shared) or the level ends.
     */
    private final class Run {

        /** Finds the run's nodes; shared by the level's runs, which come in key order. */
        private final TreePaths.Cursor cursor;
        private final List<Edit> edits;
        private final Chunker chunker;
        private TreePaths.Located current;
        /** The first edit not merged yet. */
        private int next;
        /** The node the run needs next and the store does not have at hand (when {@link #advance} stopped for it). */
        private TreePaths.Ref wanted;

        Run(TreePaths.Cursor cursor, List<Edit> edits, int first, Chunker chunker) {
            this.cursor = cursor;
            this.edits = edits;
            this.chunker = chunker;
            this.next = first;
            this.current = cursor.locate(edits.get(first).key());
        }

        /**
         * Merges the edits into the current node and goes on into the nodes after it while the re-cut runs on, adding
         * each node merged to {@code consumed}. Returns whether the run is over. With {@code consumed} null the run is a
         * probe: it returns false, without reading it, when the node it needs next is not at hand ({@link #wanted}).
         */
        boolean advance(List<Chunk> consumed) {
            while (true) {
                Chunk node = current.chunk();
                merge(node);
                if (consumed != null) {
                    consumed.add(node);
                }
                if (chunker.atBoundary()) {
                    return true; // the new sequence ends where an old node ended: everything after is shared
                }
                if (current.last()) {
                    chunker.flush();
                    return true;
                }
                TreePaths.Ref after = cursor.nextRef(node.lastKey());
                if (consumed == null && !store.atHand(after.hash())) {
                    wanted = after;
                    return false;
                }
                current = paths.load(after);
            }
        }

        /** The node's entries with the edits in its range (all the rest, if it is its level's last) merged in. */
        private void merge(Chunk node) {
            List<Entry> olds = node.entries();
            int j = 0;
            while (j < olds.size() || next < edits.size() && inRange(edits.get(next), node)) {
                Edit edit = next < edits.size() ? edits.get(next) : null;
                int order = edit == null || !inRange(edit, node) ? 1 : j >= olds.size() ? -1 : KEY_ORDER.compare(edit.key(), olds.get(j).key());
                if (order <= 0) {
                    if (!edit.isDelete()) {
                        chunker.add(new Entry(edit.key(), edit.value()));
                    }
                    next++;
                    if (order == 0) {
                        j++;
                    }
                } else {
                    chunker.add(olds.get(j));
                    j++;
                }
            }
        }

        private boolean inRange(Edit edit, Chunk node) {
            return current.last() || KEY_ORDER.compare(edit.key(), node.lastKey()) <= 0;
        }
    }

    /**
     * The edits of the level above: each node consumed is deleted from its parent, each node emitted put there (a node
     * rewritten identically leaves its parent entry as it stands). Both lists are in key order and a level's nodes have
     * distinct last keys, so the edits come out of one merge of the two.
     */
    private static List<Edit> parentEdits(LevelChange change) {
        List<Chunk> olds = change.consumed();
        List<Chunk> news = change.emitted();
        List<Edit> edits = new ArrayList<>(olds.size() + news.size());
        int i = 0;
        int j = 0;
        while (i < olds.size() || j < news.size()) {
            if (i < olds.size() && olds.get(i).entries().isEmpty()) {
                i++; // an empty leaf: a root, which no parent holds
                continue;
            }
            int order = i == olds.size() ? 1 : j == news.size() ? -1 : KEY_ORDER.compare(olds.get(i).lastKey(), news.get(j).lastKey());
            if (order < 0) {
                edits.add(Edit.delete(olds.get(i++).lastKey()));
            } else if (order > 0) {
                edits.add(put(news.get(j++)));
            } else {
                Chunk fresh = news.get(j++);
                if (!fresh.hash().equals(olds.get(i++).hash())) {
                    edits.add(put(fresh));
                }
            }
        }
        return edits;
    }

    private static Edit put(Chunk child) {
        return Edit.put(child.lastKey(), Chunker.reference(child).value());
    }

    private Hash newRoot(List<Chunk> top, int level) {
        if (top.isEmpty() || top.size() > 1) {
            LevelBuilder builder = new LevelBuilder(store, format, top.isEmpty() ? 0 : level + 1);
            top.forEach(chunk -> builder.add(Chunker.reference(chunk)));
            return builder.finish();
        }
        Chunk root = top.get(0);
        while (!root.isLeaf() && root.entries().size() == 1) {
            root = store.load(ChildRef.hashOf(root.entries().get(0).value()));
        }
        return root.hash();
    }
}
