package io.dataline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * How a suite decides the machine is quiet before it times an operation: from {@code /proc/stat}'s summary line, idle
 * and iowait are not busy, the rest is, and the share is taken between two readings.
 */
class MachineTest {

    @Test
    void countsEverythingButIdleAndIowaitAsBusy() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        long[] ticks = Machine.cpuTicks("cpu  100 2 30 500 40 3 5 7 0 0");

        assertThat(ticks).containsExactly(100 + 2 + 30 + 3 + 5 + 7, 100 + 2 + 30 + 500 + 40 + 3 + 5 + 7);
    }

    @Test
    void takesTheBusyShareBetweenTwoReadings() {
        long[] before = Machine.cpuTicks("cpu  1000 0 200 5000 100 0 0 0 0 0");
        long[] after = Machine.cpuTicks("cpu  1010 0 210 5070 110 0 0 0 0 0");

        assertThat(Machine.busyShare(before, after)).isCloseTo(20.0 / 100, within(1e-9));
        assertThat(Machine.busyShare(before, after)).isGreaterThan(Machine.QUIET_SHARE);
        assertThat(Machine.busyShare(after, after)).isZero(); // no tick between them: nothing to call busy
    }

    @Test
    void callsTheMachineQuietAfterTwoQuietWindowsInARowAndCountsAgainAfterABusyOne() {
        // each reading 100 ticks after the one before: {busy, total}
        Machine.Quiet quiet = new Machine.Quiet(new long[] {0, 0});

        assertThat(quiet.after(new long[] {5, 100})).as("one quiet window (5 %)").isFalse();
        assertThat(quiet.after(new long[] {65, 200})).as("a busy window (60 %) starts the count again").isFalse();
        assertThat(quiet.after(new long[] {75, 300})).as("one quiet window since").isFalse();
        assertThat(quiet.after(new long[] {89, 400})).as("two quiet windows in a row (10 %, 14 %)").isTrue();
        Machine.Quiet edge = new Machine.Quiet(new long[] {0, 0});
        assertThat(edge.after(new long[] {15, 100})).isFalse();
        assertThat(edge.after(new long[] {30, 200})).as("15 % is not under the share").isFalse();
    }

    @Test
    void refusesALineThatIsNotTheSummary() {
        assertThatThrownBy(() -> Machine.cpuTicks("cpu0 1 2 3 4 5 6 7 8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Machine.cpuTicks("cpu  1 2 3")).isInstanceOf(IllegalArgumentException.class);
    }
}
