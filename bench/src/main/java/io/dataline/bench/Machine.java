package io.dataline.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The machine a result was measured on: what a reader needs to compare figures. */
public final class Machine {

    private Machine() {
    }

    public static ObjectNode describe() {
        ObjectNode machine = JsonNodeFactory.instance.objectNode();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memoryBytes", totalMemory());
        cpuModel().ifPresent(model -> machine.put("cpu", model));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")");
        machine.put("benchHeapMaxBytes", Runtime.getRuntime().maxMemory());
        return machine;
    }

    /** One line for the top of a table. */
    public static String summary(ObjectNode machine) {
        return String.format(java.util.Locale.ROOT, "%d cores%s, %.1f GiB, %s", machine.path("cores").asInt(),
                machine.has("cpu") ? " (" + machine.path("cpu").asText() + ")" : "", machine.path("memoryBytes").asLong() / (1024.0 * 1024 * 1024),
                machine.path("jvm").asText());
    }

    /**
     * The share of the machine's CPU time that may be busy while it counts as quiet: an idle local stack (the broker,
     * the database and five services between requests) keeps a few per cent of two cores busy.
     */
    static final double QUIET_SHARE = 0.15;
    /** The window the share is measured over; the machine is quiet after two such windows in a row. */
    static final Duration QUIET_WINDOW = Duration.ofMillis(250);

    /**
     * Waits until the machine has been quiet ({@link #QUIET_SHARE}) for two {@link #QUIET_WINDOW}s in a row, or until
     * {@code max} has passed, and returns the nanoseconds it waited. A suite that times an operation "on an otherwise
     * idle stack" calls it first: the end of what the suite waits for (an event on a topic) is not the end of the work it
     * set off, whose consumers go on for a while. Where {@code /proc/stat} cannot be read it returns at once.
     */
    static long awaitQuiet(Duration max) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + max.toNanos();
        long[] first = cpuTicks();
        if (first == null) {
            return 0;
        }
        Quiet quiet = new Quiet(first);
        while (System.nanoTime() < deadline) {
            Thread.sleep(QUIET_WINDOW.toMillis());
            long[] next = cpuTicks();
            if (next == null || quiet.after(next)) {
                break;
            }
        }
        return System.nanoTime() - started;
    }

    /**
     * The rule of {@link #awaitQuiet}, reading by reading: the machine is quiet once the windows between the last three
     * readings were each under {@link #QUIET_SHARE} busy; a busy window starts the count again.
     */
    static final class Quiet {
        private long[] last;
        private int quietWindows;

        Quiet(long[] first) {
            this.last = first;
        }

        /** Takes the next reading of {@link #cpuTicks}; whether the machine is quiet now. */
        boolean after(long[] reading) {
            quietWindows = busyShare(last, reading) < QUIET_SHARE ? quietWindows + 1 : 0;
            last = reading;
            return quietWindows >= 2;
        }
    }

    /** The machine's busy and total CPU ticks so far (every CPU), or null where {@code /proc/stat} cannot be read. */
    private static long[] cpuTicks() {
        try {
            return cpuTicks(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Busy and total ticks from {@code /proc/stat}'s summary line ({@code cpu  user nice system idle iowait irq softirq
     * steal ...}): busy is everything but idle and iowait (a process waiting on the disk leaves its core to others).
     */
    static long[] cpuTicks(String line) {
        String[] fields = line.trim().split("\\s+");
        if (!fields[0].equals("cpu") || fields.length < 9) {
            throw new IllegalArgumentException("not /proc/stat's summary line: " + line);
        }
        long busy = 0;
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            long ticks = Long.parseLong(fields[i]);
            total += ticks;
            if (i != 4 && i != 5) {
                busy += ticks;
            }
        }
        return new long[] {busy, total};
    }

    /** The busy share of the CPU time between two readings of {@link #cpuTicks}. */
    static double busyShare(long[] before, long[] after) {
        long total = after[1] - before[1];
        return total <= 0 ? 0 : (double) (after[0] - before[0]) / total;
    }

    private static long totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    private static Optional<String> cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
