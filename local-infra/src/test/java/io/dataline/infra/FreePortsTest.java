package io.dataline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Covers the ports tests and the launcher pick: below the kernel's ephemeral range, free, each handed out once. */
class FreePortsTest {

    @Test
    void shouldPickFreePortsBelowTheEphemeralRangeAndNeverTheSameTwice() {
        Set<Integer> picked = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.pick();
            assertThat(port).isBetween(FreePorts.LOWEST, FreePorts.ephemeralLow() - 1);
            assertThat(picked.add(port)).as("port %d handed out twice", port).isTrue();
        }
    }

    @Test
    void shouldPickARangeWhoseOffsetsStayBelowTheEphemeralRange() {
        int base = FreePorts.range(4, 1000);
        assertThat(base + 3 + 1000).isLessThan(FreePorts.ephemeralLow());
        for (int port = base; port < base + 4; port++) {
            assertThat(FreePorts.inUse(port)).isFalse();
            assertThat(FreePorts.inUse(port + 1000)).isFalse();
        }
    }

    @Test
    void shouldPickAsideFromWhatRangesHandOut() {
        java.util.Set<Integer> aside = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.pickAside();
            org.assertj.core.api.Assertions.assertThat(port).isBetween(FreePorts.ASIDE_LOWEST, FreePorts.LOWEST - 1);
            org.assertj.core.api.Assertions.assertThat(aside.add(port)).as("handed out once").isTrue();
        }
    }
}
