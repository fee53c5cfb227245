package io.dataline.dataset.service;

import io.dataline.dataset.ChunkRepository;
import io.dataline.dataset.StagedChangeRepository;
import io.dataline.dataset.versioning.Edit;
import io.dataline.dataset.versioning.Entry;
import io.dataline.dataset.versioning.Hash;
import io.dataline.dataset.versioning.ProllyTree;
import io.dataline.dataset.versioning.TreeFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The tree of a new version from a stream of changes in key order (a staging area's, or a one-shot commit's spool),
 * with how it differs from its parent: built from scratch for a first version, applied as edits to the parent's tree,
 * or built whole and diffed against the parent (a replace), always in the dataset's tree format. Memory stays bounded
 * whatever the number of changes.
 */
final class VersionTrees {

    /** Changed records applied to the tree at once; a larger commit is applied in key-ordered batches of this size. */
    static final int EDIT_BATCH = 20_000;

    /** A new tree root and how it differs from its parent. */
    record Tree(Hash root, long added, long updated, long deleted) {
    }

    private VersionTrees() {
    }

    /** The first version: the changes streamed into a new tree, one chunk held at a time (deletes ignored). */
    static Tree build(ChunkRepository.Session store, TreeFormat format, Consumer<Consumer<StagedChangeRepository.StagedChange>> changes) {
        ProllyTree.TreeBuilder builder = new ProllyTree(store, format).builder();
        long[] added = {0};
        changes.accept(change -> {
            if (!change.isDelete()) {
                builder.add(new Entry(change.key(), change.record()));
                added[0]++;
            }
        });
        return new Tree(builder.finish(), added[0], 0, 0);
    }

    /** The records as the whole new version, counted against the parent's tree by a streamed diff. */
    static Tree replace(ChunkRepository.Session store, TreeFormat format, Hash parent, Consumer<Consumer<StagedChangeRepository.StagedChange>> records) {
        Tree built = build(store, format, records);
        long[] counts = new long[3];
        new ProllyTree(store).diff(parent, built.root(), ProllyTree.DiffVisitor.of(key -> counts[0]++, key -> counts[2]++, key -> counts[1]++));
        return new Tree(built.root(), counts[0], counts[1], counts[2]);
    }

    /** The changes applied to the parent's tree, each compared with the parent's record first (no-ops dropped). */
    static Tree apply(ChunkRepository.Session store, TreeFormat format, Hash head, Consumer<Consumer<StagedChangeRepository.StagedChange>> changes) {
        ProllyTree tree = new ProllyTree(store, format);
        long[] added = {0};
        long[] updated = {0};
        long[] deleted = {0};
        List<Edit> edits = new ArrayList<>();
        Hash[] current = {head};
        List<StagedChangeRepository.StagedChange> batch = new ArrayList<>();
        Consumer<List<StagedChangeRepository.StagedChange>> compare = batchOfChanges -> {
            // read the head's nodes for a whole batch of keys at once, then compare each change with the head's record
            List<byte[]> keys = batchOfChanges.stream().map(StagedChangeRepository.StagedChange::key).toList();
            tree.prefetch(head, keys);
            byte[][] olds = tree.getInOrder(head, keys);
            for (int i = 0; i < olds.length; i++) {
                StagedChangeRepository.StagedChange change = batchOfChanges.get(i);
                byte[] old = olds[i];
                if (change.isDelete()) {
                    if (old != null) {
                        deleted[0]++;
                        edits.add(Edit.delete(change.key()));
                    }
                } else if (old == null) {
                    added[0]++;
                    edits.add(Edit.put(change.key(), change.record()));
                } else if (!Arrays.equals(old, change.record())) {
                    updated[0]++;
                    edits.add(Edit.put(change.key(), change.record()));
                }
            }
            batchOfChanges.clear();
            if (edits.size() >= EDIT_BATCH) {
                // changes come in key order, so each batch rewrites its own key range: memory stays bounded however
                // many records change (the index nodes of the intermediate roots are the only extra chunks)
                current[0] = applyTo(tree, head, current[0], edits);
                edits.clear();
            }
        };
        changes.accept(change -> {
            batch.add(change);
            if (batch.size() == 1000) {
                compare.accept(batch);
            }
        });
        compare.accept(batch);
        return new Tree(applyTo(tree, head, current[0], edits), added[0], updated[0], deleted[0]);
    }

    /** Every edit's key had its path at the head announced by the comparison: at the head, that walk is not repeated. */
    private static Hash applyTo(ProllyTree tree, Hash head, Hash root, List<Edit> edits) {
        return root.equals(head) ? tree.applyPrefetched(root, edits) : tree.apply(root, edits);
    }
}
