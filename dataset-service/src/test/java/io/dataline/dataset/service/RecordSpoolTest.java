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
        try (RecordSpool spool = new RecordSpool(directory, 4096)) {
            for (int i = 0; i < 20_000; i++) {
                byte[] key = ("k" + random.nextInt(1_000_000_000)).getBytes(StandardCharsets.UTF_8);
                if (expected.containsKey(key)) {
                    continue;
                }
                byte[] record = ("{\"v\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                expected.put(key, record);
                spool.add(key, record);
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
        try (RecordSpool first = new RecordSpool(directory, 1 << 20); RecordSpool second = new RecordSpool(directory, 1 << 20);
                RecordSpool reordered = new RecordSpool(directory, 1 << 20)) {
            first.add(bytes("b"), bytes("{\"id\":\"b\"}"));
            first.add(bytes("a"), bytes("{\"id\":\"a\"}"));
            second.add(bytes("b"), bytes("{\"id\":\"b\"}"));
            second.add(bytes("a"), bytes("{\"id\":\"a\"}"));
            reordered.add(bytes("a"), bytes("{\"id\":\"a\"}"));
            reordered.add(bytes("b"), bytes("{\"id\":\"b\"}"));

            assertThat(first.spilled()).isFalse();
            assertThat(first.digestHex()).isEqualTo(second.digestHex()).isNotEqualTo(reordered.digestHex()).hasSize(64);
            List<String> keys = new ArrayList<>();
            first.forEachSorted(entry -> keys.add(new String(entry.key(), StandardCharsets.UTF_8)));
            assertThat(keys).containsExactly("a", "b");
        }
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
