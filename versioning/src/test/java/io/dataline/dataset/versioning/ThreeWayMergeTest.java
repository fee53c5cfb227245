package io.dataline.dataset.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A property test of the three-way merge over random edit sets on two branches of a random base: a merge without
 * conflicts equals applying both change sets to the base, the conflicts are exactly the keys the two sides changed
 * differently (and listing them alone finds the same without storing a chunk), and resolving each conflict by a side
 * gives that side's value.
 */
class ThreeWayMergeTest {

    private final MemoryChunkStore store = new MemoryChunkStore();
    private final ProllyTree tree = new ProllyTree(store, TreeFormat.CURRENT);
    private final ThreeWayMerge merge = new ThreeWayMerge(tree);

    private static byte[] key(int i) {
        return String.format("k%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(String text) {
        return ("{\"v\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private Hash build(TreeMap<byte[], byte[]> content) {
        return tree.build(content.entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).iterator());
    }

    private TreeMap<byte[], byte[]> read(Hash root) {
        TreeMap<byte[], byte[]> content = new TreeMap<>(Arrays::compareUnsigned);
        tree.forEach(root, e -> content.put(e.key(), e.value()));
        return content;
    }

    /** Random edits on a copy of {@code base}: puts and deletes of existing and new keys; {@code shared} values collide on purpose. */
    private static TreeMap<byte[], byte[]> edit(TreeMap<byte[], byte[]> base, Random random, String side, int keySpace) {
        TreeMap<byte[], byte[]> edited = new TreeMap<>(Arrays::compareUnsigned);
        edited.putAll(base);
        for (int i = 0, n = 200 + random.nextInt(300); i < n; i++) {
            byte[] key = key(random.nextInt(keySpace));
            switch (random.nextInt(4)) {
                case 0 -> edited.remove(key);
                case 1 -> edited.put(key, value("same-" + random.nextInt(3))); // both sides may make this very change
                default -> edited.put(key, value(side + "-" + random.nextInt(1_000_000)));
            }
        }
        return edited;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void shouldMergeDisjointChangesAndReportExactlyTheKeysChangedDifferently(long seed) {
        Random random = new Random(seed);
        int keySpace = 4000 + random.nextInt(4000);
        TreeMap<byte[], byte[]> base = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < keySpace / 2; i++) {
            base.put(key(random.nextInt(keySpace)), value("base-" + i));
        }
        TreeMap<byte[], byte[]> ours = edit(base, random, "ours", keySpace);
        TreeMap<byte[], byte[]> theirs = edit(base, random, "theirs", keySpace);

        TreeMap<byte[], byte[]> expected = new TreeMap<>(Arrays::compareUnsigned);
        expected.putAll(base);
        TreeSet<byte[]> conflicting = new TreeSet<>(Arrays::compareUnsigned);
        TreeSet<byte[]> keys = new TreeSet<>(Arrays::compareUnsigned);
        keys.addAll(base.keySet());
        keys.addAll(ours.keySet());
        keys.addAll(theirs.keySet());
        for (byte[] key : keys) {
            boolean oursChanged = !Arrays.equals(base.get(key), ours.get(key));
            boolean theirsChanged = !Arrays.equals(base.get(key), theirs.get(key));
            byte[] result = oursChanged ? ours.get(key) : theirsChanged ? theirs.get(key) : base.get(key);
            if (oursChanged && theirsChanged && !Arrays.equals(ours.get(key), theirs.get(key))) {
                conflicting.add(key);
            }
            if (result == null) {
                expected.remove(key);
            } else {
                expected.put(key, result);
            }
        }

        Hash baseRoot = build(base);
        Hash oursRoot = build(ours);
        Hash theirsRoot = build(theirs);
        ThreeWayMerge.Result result = merge.merge(baseRoot, oursRoot, theirsRoot);

        assertThat(result.conflicts()).extracting(c -> new String(c.key(), StandardCharsets.UTF_8))
                .containsExactlyElementsOf(conflicting.stream().map(k -> new String(k, StandardCharsets.UTF_8)).toList());
        for (ThreeWayMerge.Conflict conflict : result.conflicts()) {
            assertThat(conflict.base()).isEqualTo(base.get(conflict.key()));
            assertThat(conflict.ours()).isEqualTo(ours.get(conflict.key()));
            assertThat(conflict.theirs()).isEqualTo(theirs.get(conflict.key()));
        }
        // the conflicts alone: the same, found without storing a chunk
        store.takeNewChunks();
        List<ThreeWayMerge.Conflict> found = merge.conflicts(baseRoot, oursRoot, theirsRoot);
        assertThat(store.takeNewChunks()).as("chunks stored while listing conflicts").isZero();
        assertThat(found).hasSameSizeAs(result.conflicts());
        for (int i = 0; i < found.size(); i++) {
            ThreeWayMerge.Conflict listed = found.get(i);
            ThreeWayMerge.Conflict merged = result.conflicts().get(i);
            assertThat(listed.key()).isEqualTo(merged.key());
            assertThat(listed.base()).isEqualTo(merged.base());
            assertThat(listed.ours()).isEqualTo(merged.ours());
            assertThat(listed.theirs()).isEqualTo(merged.theirs());
        }
        if (conflicting.isEmpty()) {
            assertThat(result.root()).isEqualTo(build(expected));
        } else {
            assertThat(result.root()).as("no tree while conflicts stand").isNull();
        }

        // resolving every conflict with theirs: the expected content with theirs' values on those keys
        ThreeWayMerge.Result resolved = merge.merge(baseRoot, oursRoot, theirsRoot, k -> ThreeWayMerge.Side.THEIRS);
        TreeMap<byte[], byte[]> withTheirs = resolvedWith(expected, conflicting, theirs);
        assertThat(resolved.clean()).isTrue();
        assertThat(resolved.root()).isEqualTo(build(withTheirs));
        assertThat(read(resolved.root())).hasSameSizeAs(withTheirs);

        // resolving with ours: the expected content with ours' values
        ThreeWayMerge.Result kept = merge.merge(baseRoot, oursRoot, theirsRoot, k -> ThreeWayMerge.Side.OURS);
        TreeMap<byte[], byte[]> withOurs = resolvedWith(expected, conflicting, ours);
        assertThat(kept.root()).isEqualTo(build(withOurs));
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void shouldEqualBothChangeSetsAppliedWhenTheyAreDisjoint(long seed) {
        Random random = new Random(seed);
        TreeMap<byte[], byte[]> base = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < 3000; i++) {
            base.put(key(random.nextInt(6000)), value("base-" + i));
        }
        TreeMap<byte[], byte[]> ours = new TreeMap<>(Arrays::compareUnsigned);
        TreeMap<byte[], byte[]> theirs = new TreeMap<>(Arrays::compareUnsigned);
        TreeMap<byte[], byte[]> both = new TreeMap<>(Arrays::compareUnsigned);
        ours.putAll(base);
        theirs.putAll(base);
        both.putAll(base);
        for (int i = 0; i < 300; i++) {
            int k = random.nextInt(6000);
            TreeMap<byte[], byte[]> side = k % 2 == 0 ? ours : theirs; // even keys are ours to change, odd keys theirs
            if (random.nextBoolean()) {
                side.remove(key(k));
                both.remove(key(k));
            } else {
                side.put(key(k), value("v" + i));
                both.put(key(k), value("v" + i));
            }
        }
        Hash baseRoot = build(base);
        Hash oursRoot = build(ours);
        Hash theirsRoot = build(theirs);
        store.takeNewChunks();
        assertThat(merge.conflicts(baseRoot, oursRoot, theirsRoot)).isEmpty();
        assertThat(store.takeNewChunks()).as("chunks stored while listing no conflicts (a merge stores its tree)").isZero();
        ThreeWayMerge.Result result = merge.merge(baseRoot, oursRoot, theirsRoot);

        assertThat(result.clean()).isTrue();
        assertThat(result.root()).isEqualTo(build(both));
        assertThat(result.applied()).isPositive();
        ProllyTree.Difference difference = tree.diff(build(ours), result.root());
        assertThat(new long[] {result.added(), result.updated(), result.deleted()}).as("counts against ours")
                .containsExactly(difference.added().size(), difference.changed().size(), difference.removed().size());
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12})
    void shouldFastForwardOrKeepOursWhenOneSideDidNotMove(long seed) {
        Random random = new Random(seed);
        TreeMap<byte[], byte[]> base = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < 500; i++) {
            base.put(key(i), value("b" + i));
        }
        Hash baseRoot = build(base);
        Hash moved = build(edit(base, random, "moved", 800));

        assertThat(merge.merge(baseRoot, baseRoot, moved).root()).isEqualTo(moved);
        assertThat(merge.merge(baseRoot, moved, baseRoot).root()).isEqualTo(moved);
        assertThat(new ArrayList<>(merge.merge(baseRoot, moved, moved).conflicts())).isEmpty();
    }

    /** The expected content with each conflicting key taken from {@code side} (absent there: deleted). */
    private static TreeMap<byte[], byte[]> resolvedWith(Map<byte[], byte[]> expected, Iterable<byte[]> conflicting, Map<byte[], byte[]> side) {
        TreeMap<byte[], byte[]> resolved = new TreeMap<>(Arrays::compareUnsigned);
        resolved.putAll(expected);
        for (byte[] key : conflicting) {
            if (side.get(key) == null) {
                resolved.remove(key);
            } else {
                resolved.put(key, side.get(key));
            }
        }
        return resolved;
    }
}
