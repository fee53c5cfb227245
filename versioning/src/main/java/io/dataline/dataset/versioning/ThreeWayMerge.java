package io.dataline.dataset.versioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * A three-way merge of two versions by primary key, on their trees: the keys each side changed since the merge base
 * come from two streamed diffs (shared leaves are skipped unread, so the cost follows the changes, not the dataset),
 * then each key changed on one side only takes that side's value; changed identically on both sides, it merges;
 * changed differently (or deleted on one side and changed on the other) it is a {@link Conflict}, unless a resolution
 * picks a side. The result is {@code ours} with {@code theirs}' changes applied.
 */
public final class ThreeWayMerge {

    /** Which side a resolution takes for a conflicting key. */
    public enum Side { OURS, THEIRS }

    /** One key changed differently on the two sides; a value is null where the key does not exist (deleted). */
    public record Conflict(byte[] key, byte[] base, byte[] ours, byte[] theirs) {
    }

    /**
     * What a merge produced: the merged tree's root (null when conflicts remain), the conflicts in key order, how many
     * of {@code theirs}' changes were applied to {@code ours} (-1 for a fast-forward), and of those how many added,
     * updated and deleted a record of {@code ours}.
     */
    public record Result(Hash root, List<Conflict> conflicts, long applied, long added, long updated, long deleted) {
        Result(Hash root, List<Conflict> conflicts, long applied) {
            this(root, conflicts, applied, 0, 0, 0);
        }

        public boolean clean() {
            return conflicts.isEmpty();
        }
    }

    private final ProllyTree tree;

    public ThreeWayMerge(ProllyTree tree) {
        this.tree = tree;
    }

    /** Merges with no resolutions: every key changed differently is a conflict. */
    public Result merge(Hash base, Hash ours, Hash theirs) {
        return merge(base, ours, theirs, key -> null);
    }

    /**
     * Merges {@code theirs} into {@code ours} from their common ancestor {@code base}; {@code resolution} answers the
     * side to take for a conflicting key (null: it stays a conflict).
     */
    public Result merge(Hash base, Hash ours, Hash theirs, Function<byte[], Side> resolution) {
        if (base.equals(theirs) || ours.equals(theirs)) {
            return new Result(ours, List.of(), 0); // nothing of theirs to take
        }
        if (base.equals(ours)) {
            return new Result(theirs, List.of(), -1); // a fast-forward: theirs is the result
        }
        List<byte[]> theirsOnly = new ArrayList<>();
        List<byte[]> both = changedOnBoth(base, ours, theirs, theirsOnly);
        List<Edit> edits = new ArrayList<>();
        byte[][] theirsValues = values(theirs, theirsOnly);
        byte[][] oursBefore = values(base, theirsOnly); // ours did not change these keys: its values are the base's
        long[] counts = new long[3];
        for (int k = 0; k < theirsOnly.size(); k++) {
            edits.add(new Edit(theirsOnly.get(k), theirsValues[k]));
            count(counts, oursBefore[k], theirsValues[k]);
        }
        List<Conflict> conflicts = settle(base, ours, theirs, both, resolution, edits, counts);
        if (!conflicts.isEmpty()) {
            return new Result(null, conflicts, 0);
        }
        edits.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        return new Result(edits.isEmpty() ? ours : tree.apply(ours, edits), List.of(), edits.size(), counts[0], counts[1], counts[2]);
    }

    /**
     * The conflicts {@link #merge(Hash, Hash, Hash)} would report, in key order, found by reading alone: no merged tree
     * is built, so nothing is stored, and only the keys both sides changed are looked up.
     */
    public List<Conflict> conflicts(Hash base, Hash ours, Hash theirs) {
        if (base.equals(theirs) || ours.equals(theirs) || base.equals(ours)) {
            return List.of();
        }
        List<byte[]> both = changedOnBoth(base, ours, theirs, new ArrayList<>());
        return settle(base, ours, theirs, both, key -> null, new ArrayList<>(), new long[3]);
    }

    /**
     * The keys both sides changed since {@code base}, in key order; those only {@code theirs} changed go to
     * {@code theirsOnly}.
     */
    private List<byte[]> changedOnBoth(Hash base, Hash ours, Hash theirs, List<byte[]> theirsOnly) {
        List<byte[]> oursChanged = changedKeys(base, ours);
        List<byte[]> theirsChanged = changedKeys(base, theirs);
        List<byte[]> both = new ArrayList<>();
        int i = 0;
        for (byte[] key : theirsChanged) {
            while (i < oursChanged.size() && Arrays.compareUnsigned(oursChanged.get(i), key) < 0) {
                i++;
            }
            if (i < oursChanged.size() && Arrays.equals(oursChanged.get(i), key)) {
                both.add(key);
            } else {
                theirsOnly.add(key);
            }
        }
        return both;
    }

    /**
     * Settles the keys both sides changed: the same change merges; a different one takes the side {@code resolution}
     * answers (theirs: an edit, counted), or is a conflict, returned in key order.
     */
    private List<Conflict> settle(Hash base, Hash ours, Hash theirs, List<byte[]> both, Function<byte[], Side> resolution, List<Edit> edits,
            long[] counts) {
        List<Conflict> conflicts = new ArrayList<>();
        byte[][] oursBoth = values(ours, both);
        byte[][] theirsBoth = values(theirs, both);
        byte[][] baseBoth = values(base, both);
        for (int k = 0; k < both.size(); k++) {
            if (Arrays.equals(oursBoth[k], theirsBoth[k])) {
                continue; // the same change on both sides
            }
            Side side = resolution.apply(both.get(k));
            if (side == Side.THEIRS) {
                edits.add(new Edit(both.get(k), theirsBoth[k]));
                count(counts, oursBoth[k], theirsBoth[k]);
            } else if (side == null) {
                conflicts.add(new Conflict(both.get(k), baseBoth[k], oursBoth[k], theirsBoth[k]));
            }
        }
        return conflicts;
    }

    /** Counts one edit of ours: added (no value before), deleted (no value after) or updated. */
    private static void count(long[] counts, byte[] before, byte[] after) {
        counts[before == null ? 0 : after == null ? 2 : 1]++;
    }

    /** The keys whose values differ between two trees, in key order. */
    private List<byte[]> changedKeys(Hash from, Hash to) {
        ProllyTree.Difference difference = tree.diff(from, to);
        List<byte[]> keys = new ArrayList<>(difference.added());
        keys.addAll(difference.removed());
        keys.addAll(difference.changed());
        keys.sort(Arrays::compareUnsigned);
        return keys;
    }

    /** The values of ascending keys at {@code root} (null where absent), read a batch of paths at a time. */
    private byte[][] values(Hash root, List<byte[]> keys) {
        byte[][] values = new byte[keys.size()][];
        for (int from = 0; from < keys.size(); from += ProllyTree.PREFETCH_LIMIT) {
            List<byte[]> batch = keys.subList(from, Math.min(keys.size(), from + ProllyTree.PREFETCH_LIMIT));
            System.arraycopy(tree.getAll(root, batch), 0, values, from, batch.size());
        }
        return values;
    }
}
