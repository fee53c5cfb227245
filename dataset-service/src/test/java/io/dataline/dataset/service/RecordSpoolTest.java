package io.dataline.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.dataset.versioning.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool of an upload: records come back in key order from memory or from sorted runs on disk, and leave no file. */
class RecordSpoolTest {

    @TempDir
    Path directory;

    @Test
    void shouldGiveBackEveryRecordInKeyOrderAcrossManyRunsOnDisk() throws Exception {
        TreeMap<byte[], byte[]> expected = new TreeMap<>(Arrays::compareUnsigned);
        Random random = new Random(7);
        try (RecordSpool spool = new RecordSpool(directory, 4096, RecordSpoolTest::refuse)) {
            for (int i = 0; i < 20_000; i++) {
                byte[] key = ("k" + random.nextInt(1_000_000_000)).getBytes(StandardCharsets.UTF_8);
                if (expected.containsKey(key)) {
                    continue;
                }
                byte[] record = ("{\"v\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                expected.put(key, record);
                spool.add(key, record, i, i + 1);
            }
            assertThat(spool.spilled()).isTrue();
            assertThat(files()).hasSize(1);

            for (int pass = 0; pass < 2; pass++) { // a commit may read the spool twice (a re-check, then the write)
                List<Entry> seen = new ArrayList<>();
                spool.forEachSorted(seen::add);
                assertThat(seen).hasSize(expected.size());
                int i = 0;
                for (var entry : expected.entrySet()) {
                    assertThat(seen.get(i).key()).isEqualTo(entry.getKey());
                    assertThat(seen.get(i++).value()).isEqualTo(entry.getValue());
                }
            }
            assertThat(spool.count()).isEqualTo(expected.size());
        }
        assertThat(files()).as("the spool file is deleted when the request ends").isEmpty();
    }

    @Test
    void shouldKeepASmallUploadInMemoryAndFingerprintItsRecordsInArrivalOrder() {
        try (RecordSpool first = new RecordSpool(directory, 1 << 20, RecordSpoolTest::refuse); RecordSpool second = new RecordSpool(directory, 1 << 20, RecordSpoolTest::refuse);
                RecordSpool reordered = new RecordSpool(directory, 1 << 20, RecordSpoolTest::refuse)) {
            first.add(bytes("b"), bytes("{\"id\":\"b\"}"), 0, -1);
            first.add(bytes("a"), bytes("{\"id\":\"a\"}"), 0, -1);
            second.add(bytes("b"), bytes("{\"id\":\"b\"}"), 0, -1);
            second.add(bytes("a"), bytes("{\"id\":\"a\"}"), 0, -1);
            reordered.add(bytes("a"), bytes("{\"id\":\"a\"}"), 0, -1);
            reordered.add(bytes("b"), bytes("{\"id\":\"b\"}"), 0, -1);

            assertThat(first.spilled()).isFalse();
            assertThat(first.digestHex()).isEqualTo(second.digestHex()).isNotEqualTo(reordered.digestHex()).hasSize(64);
            List<String> keys = new ArrayList<>();
            first.forEachSorted(entry -> keys.add(new String(entry.key(), StandardCharsets.UTF_8)));
            assertThat(keys).containsExactly("a", "b");
        }
    }

    /** Two records with one key are found in the sorted pass, in memory and across runs on disk, naming both places. */
    @Test
    void shouldFindTwoRecordsWithOneKeyWhenSorting() {
        for (int runBytes : new int[] {1 << 20, 2048}) {
            try (RecordSpool spool = new RecordSpool(directory, runBytes, RecordSpoolTest::refuse)) {
                for (int i = 0; i < 5_000; i++) {
                    spool.add(bytes("k" + (i == 4_321 ? 17 : i)), bytes("{\"v\":" + i + "}"), i, i + 1);
                }
                assertThat(spool.spilled()).isEqualTo(runBytes == 2048);

                org.assertj.core.api.Assertions.assertThatThrownBy(() -> spool.forEachSorted(entry -> { }))
                        .isInstanceOf(DuplicateSeen.class)
                        .satisfies(e -> {
                            RecordSpool.Duplicate duplicate = ((DuplicateSeen) e).duplicate;
                            assertThat(new String(duplicate.key(), StandardCharsets.UTF_8)).isEqualTo("k17");
                            assertThat(duplicate.firstIndex()).isEqualTo(17);
                            assertThat(duplicate.secondIndex()).isEqualTo(4_321);
                            assertThat(duplicate.secondLine()).isEqualTo(4_322);
                        });
            }
        }
    }

    private static final class DuplicateSeen extends RuntimeException {
        final RecordSpool.Duplicate duplicate;

        DuplicateSeen(RecordSpool.Duplicate duplicate) {
            this.duplicate = duplicate;
        }
    }

    private static RuntimeException refuse(RecordSpool.Duplicate duplicate) {
        return new DuplicateSeen(duplicate);
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.toList();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
