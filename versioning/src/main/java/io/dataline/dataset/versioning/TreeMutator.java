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
    /** Runs taken over by the run before them, over every apply so far (a waiting run ran on into their node). */
    private long runsTakenOver;

    TreeMutator(ChunkStore store, TreeFormat format, TreePaths paths) {
        this.store = store;
        this.format = format;
        this.paths = paths;
    }

    /**
     * The new root after {@code edits} (strictly ascending keys) at the tree whose root node is {@code rootChunk}. With
     * {@code readAhead}, a run that needs a node the store does not have at hand waits for it while the level's later
     * runs go on, and the nodes the waiting runs need are read in one batch per round (see {@link #applyAtLevel}).
     */
    Hash apply(Chunk rootChunk, List<Edit> edits, boolean readAhead) {
        int top = rootChunk.level();
        List<Edit> levelEdits = edits;
        for (int level = 0; level <= top; level++) {
            if (levelEdits.isEmpty()) {
                return rootChunk.hash();
            }
            LevelChange change = applyAtLevel(rootChunk, level, levelEdits, readAhead && level < top);
            if (level == top) {
                return newRoot(change.emitted(), top);
            }
            levelEdits = parentEdits(change);
        }
        throw new IllegalStateException("unreachable");
    }

    long runsTakenOver() {
        return runsTakenOver;
    }

    /**
     * One level's re-cut, run after run in key order, each run walked once. With {@code batched}, a run that needs the
     * node after one it merged (its re-cut runs on: about a third of random edits in format 3, and a third of those run
     * on further; far fewer in format 4) and finds it not at hand waits, and the next run starts with the first edit
     * after that node; once every run has ended or waits, the nodes the waiting runs need are read in one batch and
     * they go on, round after round. A run that then runs on into the node a later run started from takes that run over
     * (its work is dropped: a re-cut in key order would never have started it), and a run that ends before the next
     * one's first edit is followed by a run from its next edit, so the result is the sequential re-cut's. A run's
     * chunks are stored once every run before it has ended, so a run taken over stores nothing.
     */
    private LevelChange applyAtLevel(Chunk root, int level, List<Edit> edits, boolean batched) {
        return new LevelCut(paths.cursor(root, level), edits, level, batched).cut();
    }

    /** The state of one level's re-cut ({@link #applyAtLevel}): its runs in key order, those waiting, those unstored. */
    private final class LevelCut {

        /** Finds the runs' nodes; the runs mostly come in key order. */
        private final TreePaths.Cursor cursor;
        private final List<Edit> edits;
        private final int level;
        private final boolean batched;
        /** The runs waiting for a node, to go on in the next round. */
        private List<Run> waiting = new ArrayList<>();
        /** The first run (in key order) whose chunks are not stored yet. */
        private Run unstored;

        LevelCut(TreePaths.Cursor cursor, List<Edit> edits, int level, boolean batched) {
            this.cursor = cursor;
            this.edits = edits;
            this.level = level;
            this.batched = batched;
        }

        LevelChange cut() {
            Run head = new Run(0);
            unstored = head;
            if (!head.advance()) {
                waiting.add(head);
            }
            startAfter(head);
            while (!waiting.isEmpty()) {
                List<Run> round = waiting;
                round.removeIf(run -> run.dropped); // taken over since it stopped: what it waits for may not be needed
                store.prefetch(round.stream().map(run -> run.wanted.hash()).collect(Collectors.toCollection(LinkedHashSet::new)));
                waiting = new ArrayList<>();
                for (Run run : round) {
                    if (!run.dropped) { // an earlier run of this round may have taken it over
                        if (!run.resume()) {
                            waiting.add(run);
                        }
                        startAfter(run);
                    }
                }
            }
            storeEnded(null);
            List<Chunk> consumed = new ArrayList<>();
            List<Chunk> emitted = new ArrayList<>();
            for (Run run = head; run != null; run = run.successor) {
                if (!run.dropped) {
                    consumed.addAll(run.consumed);
                    emitted.addAll(run.emitted);
                }
            }
            return new LevelChange(consumed, emitted);
        }

        /**
         * Starts the runs for the edits between {@code run} (ended, or waiting for a node) and the next run, if any:
         * after a run that waits, from the first edit past the node it waits for; after one that ended, from its next
         * edit (a run it took over may have started past edits it no longer reaches). Those that wait join
         * {@link #waiting}; the chunks of those that end are stored as soon as every run before them has ended.
         */
        private void startAfter(Run run) {
            Run at = run;
            while (true) {
                storeEnded(at); // not this one yet: a run may follow it
                Run following = at.following();
                int limit = following == null ? edits.size() : following.first;
                int from = at.ended ? at.next : at.wanted.last() ? edits.size() : firstAfter(at.next, at.wanted.lastKey());
                if (from >= limit) {
                    storeEnded(null);
                    return;
                }
                Run fresh = new Run(from);
                fresh.successor = at.successor;
                at.successor = fresh;
                if (!fresh.advance()) {
                    waiting.add(fresh);
                }
                at = fresh;
            }
        }

        /**
         * Stores the chunks of the runs from {@link #unstored} on that have ended with every run before them, up to
         * {@code stop} (excluded; null: to the last), and moves it past them. A run is passed only once the runs that
         * start after it are linked: {@link #startAfter} inserts them there.
         */
        private void storeEnded(Run stop) {
            Run at = unstored;
            while (at != null && at != stop && (at.dropped || at.ended)) {
                if (!at.dropped) {
                    at.emitted.forEach(store::store);
                }
                at = at.successor;
            }
            unstored = at;
        }

        /** The first edit from {@code from} on whose key is after {@code key} ({@code edits.size()} if none). */
        private int firstAfter(int from, byte[] key) {
            int at = from;
            while (at < edits.size() && KEY_ORDER.compare(edits.get(at).key(), key) <= 0) {
                at++;
            }
            return at;
        }

        /**
         * One stretch of the level's re-cut: from the node holding an edit, the edits merged into it and node after
         * node chunked until the new sequence ends where an old node ended (everything after is shared) or the level
         * ends.
         */
        private final class Run {

            private final Chunker chunker;
            /** Its first edit. */
            private final int first;
            /** The run after it in key order (dropped or not), null for the last. */
            private Run successor;
            /** The node it started from: a run before it that runs on into this node takes it over. */
            private final TreePaths.Located start;
            private final List<Chunk> consumed = new ArrayList<>();
            private final List<Chunk> emitted = new ArrayList<>();
            private TreePaths.Located current;
            /** The first edit not merged yet. */
            private int next;
            /** The node the run needs next and the store does not have at hand (when {@link #advance} stopped for it). */
            private TreePaths.Ref wanted;
            private boolean ended;
            /** Taken over by the run before it. */
            private boolean dropped;

            Run(int first) {
                this.chunker = new Chunker(null, format, level, emitted::add);
                this.first = first;
                this.next = first;
                this.start = cursor.locate(edits.get(first).key());
                this.current = start;
            }

            /** Goes on with the node it waited for (read by now). */
            boolean resume() {
                current = paths.load(wanted);
                wanted = null;
                return advance();
            }

            /**
             * Merges the edits into the current node and goes on into the nodes after it while the re-cut runs on,
             * taking over the next run if it reaches the node that one started from. Returns whether the run is over;
             * when the level's re-cut is batched, false when the node it needs next is not at hand ({@link #wanted}).
             */
            boolean advance() {
                while (true) {
                    Chunk node = current.chunk();
                    merge(node);
                    consumed.add(node);
                    if (chunker.atBoundary()) {
                        ended = true; // the new sequence ends where an old node ended: everything after is shared
                        return true;
                    }
                    if (current.last()) {
                        chunker.flush();
                        ended = true;
                        return true;
                    }
                    TreePaths.Ref after = cursor.nextRef(node.lastKey());
                    Run following = following();
                    if (following != null && following.start.chunk().hash().equals(after.hash())) {
                        following.dropped = true; // its node and edits are this run's now
                        runsTakenOver++;
                        current = following.start;
                        continue;
                    }
                    if (batched && !store.atHand(after.hash())) {
                        wanted = after;
                        return false;
                    }
                    current = paths.load(after);
                }
            }

            /** The next run in key order that was not taken over, if any. */
            private Run following() {
                Run at = successor;
                while (at != null && at.dropped) {
                    at = at.successor;
                }
                return at;
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
