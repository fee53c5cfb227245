package io.dataline.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The duplicate-key check of an upload: SipHash-2-4 as its authors specify it (their test vectors), a fingerprint that
 * depends on the set's secret key, and every duplicate among its keys found and no key taken for another.
 */
class KeySetTest {

    private static final long K0 = 0x0706050403020100L; // the reference key: bytes 00 .. 0f
    private static final long K1 = 0x0f0e0d0c0b0a0908L;

    private static byte[] counting(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    void shouldComputeSipHash24AsItsReferenceVectorsSay() {
        assertThat(StagingService.sipHash24(K0, K1, counting(0))).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(StagingService.sipHash24(K0, K1, counting(1))).isEqualTo(0x74f839c593dc67fdL);
        assertThat(StagingService.sipHash24(K0, K1, counting(2))).isEqualTo(0x0d6c8009d9a94f5aL);
        assertThat(StagingService.sipHash24(K0, K1, counting(15))).isEqualTo(0xa129ca6149be45e5L);
        assertThat(StagingService.sipHash24(K0, K1, counting(32))).isEqualTo(0x7127512f72f27cceL);
    }

    @Test
    void shouldFingerprintUnderTheSetsOwnKey() {
        byte[] key = "customer-42".getBytes(StandardCharsets.UTF_8);
        assertThat(StagingService.sipHash24(K0, K1, key)).isNotEqualTo(StagingService.sipHash24(K0 + 1, K1, key))
                .isNotEqualTo(StagingService.sipHash24(K0, K1 ^ 1L << 63, key));
    }

    @Test
    void shouldFindEveryDuplicateAndNoFalseOne() {
        StagingService.KeySet seen = new StagingService.KeySet(100_000);
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(Integer.toString(i).getBytes(StandardCharsets.UTF_8))).as("first %d", i).isTrue();
        }
        for (int i = 0; i < 100_000; i += 997) {
            assertThat(seen.add(Integer.toString(i).getBytes(StandardCharsets.UTF_8))).as("again %d", i).isFalse();
        }
    }
}
