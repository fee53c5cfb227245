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

/**
 * The tree formats: format 1 still gives exactly the hashes it always gave (datasets created before format 2 keep
 * verifying and sharing chunks), format 2 cuts nodes of a narrow size range and so rewrites less per change, and a tree
 * opened without a format can be read but not written.
 */
class TreeFormatTest {

    @Test
    void shouldKeepFormatOneHashesExactlyAsTheyWere() {
        MemoryChunkStore store = new MemoryChunkStore();
        // computed by the code before formats existed (commit a0a8a96) from the same 20,000 records
        assertThat(new ProllyTree(store, TreeFormat.GEOMETRIC).build(records(20_000, 0).entrySet().stream()
                .map(e -> new Entry(e.getKey(), e.getValue())).iterator()).hex())
                .isEqualTo("01fb64fce44bf483a11cf5d8b66b28a57d54812944b5563cd39ecb281be2ac7a");
        assertThat(store.size()).isEqualTo(351);
    }

    @Test
    void shouldGiveDifferentRootsForTheSameRecordsInDifferentFormats() {
        TreeMap<byte[], byte[]> records = records(20_000, 0);
        Hash one = new ProllyTree(new MemoryChunkStore(), TreeFormat.GEOMETRIC).build(entries(records));
        Hash two = new ProllyTree(new MemoryChunkStore(), TreeFormat.BOUNDED).build(entries(records));

        assertThat(one).isNotEqualTo(two);
        assertThat(TreeFormat.of(1)).isEqualTo(TreeFormat.GEOMETRIC);
        assertThat(TreeFormat.of(2)).isEqualTo(TreeFormat.BOUNDED).isEqualTo(TreeFormat.CURRENT);
        assertThatThrownBy(() -> TreeFormat.of(3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown tree format 3");
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
    void shouldRewriteLessPerChangeInFormatTwo() {
        TreeMap<byte[], byte[]> records = wideRecords(100_000);
        long one = bytesWrittenByChanges(TreeFormat.GEOMETRIC, records);
        long two = bytesWrittenByChanges(TreeFormat.BOUNDED, records);

        // 300 scattered updates of ~200-byte records: format 1 rewrites a leaf of ~128 records (~27 KiB) per change on
        // average, format 2 one of ~7 KiB
        assertThat(two).isLessThan(one / 2);
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
