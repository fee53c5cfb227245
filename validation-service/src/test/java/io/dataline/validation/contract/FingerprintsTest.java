package io.dataline.validation.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Covers the fingerprint table: values survive growth, repeats are found, and the first value stays. */
class FingerprintsTest {

    @Test
    void shouldKeepTheFirstValueOfEveryFingerprintAcrossGrowth() {
        Fingerprints table = new Fingerprints();
        Random random = new Random(5);
        long[] seen = new long[50_000];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = random.nextLong();
            assertThat(table.putIfAbsent(seen[i], i)).isNull();
        }
        for (int i = 0; i < seen.length; i++) {
            assertThat(table.putIfAbsent(seen[i], -1)).isEqualTo(i);
        }
        assertThat(table.add(seen[123])).isFalse();
        assertThat(table.add(0L)).isTrue();
        assertThat(table.add(0L)).isFalse();
    }
}
