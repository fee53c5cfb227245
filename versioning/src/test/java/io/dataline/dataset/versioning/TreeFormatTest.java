package io.dataline.dataset.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tree formats: formats 1 to 3 still give exactly the hashes they always gave (datasets created before the next
 * format keep verifying and sharing chunks), format 2 cuts nodes of a narrow size range and so rewrites less per change,
 * format 3 cuts smaller leaves and rewrites less again, even for records near its minimum, format 4 cuts nodes of
 * format 3's sizes where the keys say and so rewrites no node beside a changed path when an update keeps a record's
 * size, and a tree opened without a format can be read but not written.
 */
class TreeFormatTest {

    /** Each format's root of the same 20,000 records and the chunks it stores: a changed rule orphans its datasets' hashes. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // computed by the code before formats existed (commit a0a8a96)
        "GEOMETRIC, 01fb64fce44bf483a11cf5d8b66b28a57d54812944b5563cd39ecb281be2ac7a, 351",
        // computed by the code before format 3 existed (commit 2784168)
        "BOUNDED, 305820d534b68293e9309e6fc0254378dde9577bb4d0477fa70ad5a3eea98d73, 136",
        // computed by the code before format 4 existed (commit 7a4fd32)
        "SMALL, 7cd48395656f08fc796f1e1cd5939b996df231fd01e027e1da0be3c2c6066f64, 550",
        // computed by format 4's first code (commit 88342bb)
        "KEYED, f4be0ca81568d4dbfeaff2018a09afe8c50f06199e5e1e6f85c9ee3690339359, 576"})
    void shouldKeepEachFormatsHashesExactlyAsTheyWere(TreeFormat format, String root, int chunks) {
        MemoryChunkStore store = new MemoryChunkStore();
        assertThat(new ProllyTree(store, format).build(entries(records(20_000, 0))).hex()).isEqualTo(root);
        assertThat(store.size()).isEqualTo(chunks);
    }

    @Test
    void shouldGiveDifferentRootsForTheSameRecordsInDifferentFormats() {
        TreeMap<byte[], byte[]> records = records(20_000, 0);
        Hash one = new ProllyTree(new MemoryChunkStore(), TreeFormat.GEOMETRIC).build(entries(records));
        Hash two = new ProllyTree(new MemoryChunkStore(), TreeFormat.BOUNDED).build(entries(records));
        Hash three = new ProllyTree(new MemoryChunkStore(), TreeFormat.SMALL).build(entries(records));
        Hash four = new ProllyTree(new MemoryChunkStore(), TreeFormat.KEYED).build(entries(records));

        assertThat(java.util.Set.of(one, two, three, four)).hasSize(4);
        assertThat(TreeFormat.of(1)).isEqualTo(TreeFormat.GEOMETRIC);
        assertThat(TreeFormat.of(2)).isEqualTo(TreeFormat.BOUNDED);
        assertThat(TreeFormat.of(3)).isEqualTo(TreeFormat.SMALL);
        assertThat(TreeFormat.of(4)).isEqualTo(TreeFormat.KEYED).isEqualTo(TreeFormat.CURRENT);
        assertThatThrownBy(() -> TreeFormat.of(5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown tree format 5");
    }

    @Test
    void shouldCutFormatTwoLeavesOfFourToAboutEightKibibytes() {
        MemoryChunkStore store = new MemoryChunkStore();
        ProllyTree tree = new ProllyTree(store, TreeFormat.BOUNDED);
        Hash root = tree.build(entries(records(100_000, 0)));
        List<Hash> leaves = tree.leafHashes(root);
        long total = 0;
        for (int i = 0; i < leaves.size(); i++) {
            long bytes = entryBytes(store.load(leaves.get(i)));
            total += bytes;
            if (i < leaves.size() - 1) {
                assertThat(bytes).isGreaterThanOrEqualTo(TreeFormat.BOUNDED_LEAF_MIN).isLessThan(8 * TreeFormat.BOUNDED_LEAF_MIN);
            }
        }
        double mean = (double) total / leaves.size();
        assertThat(mean).isBetween(5_000.0, 7_000.0);
    }

    @ParameterizedTest
    @EnumSource(names = {"SMALL", "KEYED"})
    void shouldCutFormatThreeAndFourLeavesOfOneToAboutTwoKibibytesMostlyBelowWherePostgresqlCompresses(TreeFormat format) {
        MemoryChunkStore store = new MemoryChunkStore();
        ProllyTree tree = new ProllyTree(store, format);
        Hash root = tree.build(entries(wideRecords(100_000)));
        List<Hash> leaves = tree.leafHashes(root);
        long total = 0;
        long belowToastThreshold = 0;
        for (int i = 0; i < leaves.size(); i++) {
            Chunk leaf = store.load(leaves.get(i));
            long bytes = entryBytes(leaf);
            total += bytes;
            if (i < leaves.size() - 1) {
                assertThat(bytes).isGreaterThanOrEqualTo(TreeFormat.SMALL_LEAF_MIN).isLessThan(8 * TreeFormat.SMALL_LEAF_MIN);
            }
            if (leaf.encoded().length < 2000) {
                belowToastThreshold++;
            }
        }
        double mean = (double) total / leaves.size();
        assertThat(mean).isBetween(1_300.0, 1_900.0);
        assertThat((double) belowToastThreshold / leaves.size()).isGreaterThan(0.75);
    }

    @ParameterizedTest
    @EnumSource(names = {"SMALL", "KEYED"})
    void shouldGiveAnyRecordAtMostAnEvenChanceOfEndingAFormatThreeOrFourLeaf(TreeFormat format) {
        byte[] large = new byte[4 * TreeFormat.SMALL_LEAF_TAIL];
        Arrays.fill(large, (byte) 'x');
        int ends = 0;
        for (int i = 0; i < 1_000; i++) {
            Entry entry = new Entry(key(i), (new String(large, StandardCharsets.US_ASCII) + i).getBytes(StandardCharsets.US_ASCII));
            assertThat(format.ends(0, entry, TreeFormat.SMALL_LEAF_MIN - 1)).isFalse();
            ends += format.ends(0, entry, TreeFormat.SMALL_LEAF_MIN) ? 1 : 0;
        }
        assertThat(ends).isBetween(420, 580);
    }

    @ParameterizedTest
    @EnumSource(names = {"SMALL", "KEYED"})
    void shouldNotRewriteTheRestOfTheDatasetWhenDeletingRecordsOfHalfTheMinimum(TreeFormat format) {
        // records of ~600 bytes: two of them pass format 3's minimum. Had every record past the minimum ended its leaf,
        // leaves would be fixed pairs and deleting one record would re-pair (rewrite) every leaf after it.
        TreeMap<byte[], byte[]> records = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < 4_000; i++) {
            records.put(key(i), ("{\"id\":" + i + ",\"text\":\"" + "x".repeat(580) + i + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        MemoryChunkStore store = new MemoryChunkStore();
        ProllyTree tree = new ProllyTree(store, format);
        Hash root = tree.build(entries(records));
        long datasetBytes = store.takeNewBytes();
        for (int id : new int[] {10, 1_000, 2_500}) {
            root = tree.apply(root, List.of(Edit.delete(key(id))));
            records.remove(key(id));
            // a few leaves and their index path, not the ~2.4 MB after the deleted record
            assertThat(store.takeNewBytes()).isLessThan(20_000);
        }
        assertThat(root).isEqualTo(new ProllyTree(new MemoryChunkStore(), format).build(entries(records)));
        assertThat(datasetBytes).isGreaterThan(2_000_000);
    }

    @Test
    void shouldEndAFormatTwoLeafAtAnyLargeRecordPastTheMinimum() {
        byte[] large = new byte[TreeFormat.BOUNDED_LEAF_TAIL];
        Arrays.fill(large, (byte) 'x');
        for (int i = 0; i < 200; i++) {
            Entry entry = new Entry(key(i), (new String(large, StandardCharsets.US_ASCII) + i).getBytes(StandardCharsets.US_ASCII));
            assertThat(TreeFormat.BOUNDED.ends(0, entry, TreeFormat.BOUNDED_LEAF_MIN)).isTrue();
            assertThat(TreeFormat.BOUNDED.ends(0, entry, TreeFormat.BOUNDED_LEAF_MIN - 1)).isFalse();
        }
    }

    @Test
    void shouldRewriteLessPerChangeInEachLaterFormat() {
        TreeMap<byte[], byte[]> records = wideRecords(100_000);
        long one = bytesWrittenByChanges(TreeFormat.GEOMETRIC, records);
        long two = bytesWrittenByChanges(TreeFormat.BOUNDED, records);
        long three = bytesWrittenByChanges(TreeFormat.SMALL, records);
        long four = bytesWrittenByChanges(TreeFormat.KEYED, records);

        // 300 scattered updates of ~200-byte records: format 1 rewrites a leaf of ~128 records (~27 KiB) per change on
        // average, format 2 one of ~7 KiB; format 3 one of ~1.5 KiB, and, now as much as the leaf, an index node of
        // ~1.5 KiB above it (format 2: ~4 leaves share one): about half of format 2's bytes
        assertThat(two).isLessThan(one / 2);
        assertThat(three).isLessThan(two * 6 / 10);
        // format 4: no more, though these updates shrink each record to a fifth of its size, which moves boundaries in
        // any format (updates that keep the size: shouldRewriteOnlyTheChangedPathsInFormatFour...)
        assertThat(four).isLessThanOrEqualTo(three);
    }

    @Test
    void shouldRewriteOnlyTheChangedPathsInFormatFourWhenUpdatesKeepTheirRecordsSizes() {
        TreeMap<byte[], byte[]> records = wideRecords(100_000);
        Random random = new Random(23);
        TreeMap<byte[], Edit> edits = new TreeMap<>(Arrays::compareUnsigned);
        while (edits.size() < 300) {
            int id = random.nextInt(100_000);
            byte[] revised = new String(records.get(key(id)), StandardCharsets.UTF_8).replace("negative", "positive").getBytes(StandardCharsets.UTF_8);
            edits.put(key(id), Edit.put(key(id), revised));
        }

        int keyed = chunksWrittenBeyondThePaths(TreeFormat.KEYED, records, edits);
        int small = chunksWrittenBeyondThePaths(TreeFormat.SMALL, records, edits);

        // format 4: a record of the same size draws the same from its key, so every boundary stays where it was
        assertThat(keyed).isZero();
        // format 3 draws from the record: a changed one ends its leaf, or stops ending it, as a fresh draw would, and
        // each rewritten child re-draws its entry in the index node above
        assertThat(small).isGreaterThan(50);
    }

    @Test
    void shouldCutFormatFourIndexNodesAsLargeAsFormatThreeDoes() {
        // each level draws from its own 32 bits of the key's hash: a key that ended a leaf, having met the leaf's
        // threshold, is no likelier than any other to end an index node
        TreeMap<byte[], byte[]> records = wideRecords(100_000);
        double three = meanEntriesOfLevelOne(TreeFormat.SMALL, records);
        double four = meanEntriesOfLevelOne(TreeFormat.KEYED, records);

        assertThat(four).isBetween(three * 0.85, three * 1.15);
    }

    /** Chunks a format's apply of {@code edits} writes besides one new node for each node on the edits' paths. */
    private static int chunksWrittenBeyondThePaths(TreeFormat format, TreeMap<byte[], byte[]> records, TreeMap<byte[], Edit> edits) {
        MemoryChunkStore store = new MemoryChunkStore();
        ProllyTree tree = new ProllyTree(store, format);
        Hash root = tree.build(entries(records));
        java.util.Set<Hash> onPaths = new java.util.HashSet<>();
        for (byte[] key : edits.keySet()) {
            Descent.path(store, root, key).forEach(node -> onPaths.add(node.hash()));
        }
        store.takeNewChunks();
        tree.apply(root, new ArrayList<>(edits.values()));
        return store.takeNewChunks() - onPaths.size();
    }

    private static double meanEntriesOfLevelOne(TreeFormat format, TreeMap<byte[], byte[]> records) {
        MemoryChunkStore store = new MemoryChunkStore();
        ProllyTree tree = new ProllyTree(store, format);
        Chunk node = store.load(tree.build(entries(records)));
        List<Chunk> level = List.of(node);
        while (level.get(0).level() > 1) {
            List<Chunk> below = new ArrayList<>();
            for (Chunk parent : level) {
                for (Entry child : parent.entries()) {
                    below.add(store.load(ChildRef.decode(child.value()).hash()));
                }
            }
            level = below;
        }
        // the last node of a level ends where the level does, not by the rule
        return level.subList(0, level.size() - 1).stream().mapToInt(chunk -> chunk.entries().size()).average().orElseThrow();
    }

    @Test
    void shouldReadButNotWriteATreeOpenedWithoutAFormat() {
        MemoryChunkStore store = new MemoryChunkStore();
        Hash root = new ProllyTree(store, TreeFormat.BOUNDED).build(entries(records(1_000, 0)));
        ProllyTree reading = new ProllyTree(store);

        assertThat(reading.count(root)).isEqualTo(1_000);
        assertThat(reading.get(root, key(7))).isPresent();
        assertThatThrownBy(() -> reading.apply(root, List.of(Edit.delete(key(7))))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("opened for reading");
        assertThatThrownBy(reading::builder).isInstanceOf(IllegalStateException.class);
    }

    private static long bytesWrittenByChanges(TreeFormat format, TreeMap<byte[], byte[]> records) {
        MemoryChunkStore store = new MemoryChunkStore();
        ProllyTree tree = new ProllyTree(store, format);
        Hash root = tree.build(entries(records));
        store.takeNewBytes();
        Random random = new Random(17);
        TreeMap<byte[], Edit> edits = new TreeMap<>(Arrays::compareUnsigned);
        while (edits.size() < 300) {
            int id = random.nextInt(100_000);
            edits.put(key(id), Edit.put(key(id), value(id, 1)));
        }
        tree.apply(root, new ArrayList<>(edits.values()));
        return store.takeNewBytes();
    }

    private static long entryBytes(Chunk chunk) {
        return chunk.entries().stream().mapToLong(e -> e.key().length + e.value().length).sum();
    }

    private static java.util.Iterator<Entry> entries(TreeMap<byte[], byte[]> records) {
        return records.entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).iterator();
    }

    /** Records of about 40 bytes (the golden test's: exactly what computed its hash). */
    private static TreeMap<byte[], byte[]> records(int count, int revision) {
        TreeMap<byte[], byte[]> records = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < count; i++) {
            records.put(key(i), value(i, revision));
        }
        return records;
    }

    /** Records of about 200 bytes, like the bench's feedback records. */
    private static TreeMap<byte[], byte[]> wideRecords(int count) {
        TreeMap<byte[], byte[]> records = new TreeMap<>(Arrays::compareUnsigned);
        for (int i = 0; i < count; i++) {
            records.put(key(i), ("{\"id\":" + i + ",\"text\":\"" + "the delivery was late and the parcel arrived damaged, ".repeat(3) + i
                    + "\",\"label\":\"negative\"}").getBytes(StandardCharsets.UTF_8));
        }
        return records;
    }

    private static byte[] key(int id) {
        return KeyType.INTEGER.encode(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(id));
    }

    private static byte[] value(int id, int revision) {
        return revision == 0 ? ("{\"id\":" + id + ",\"text\":\"record " + id + "\"}").getBytes(StandardCharsets.UTF_8)
                : ("{\"id\":" + id + ",\"text\":\"record " + id + " revised " + revision + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
