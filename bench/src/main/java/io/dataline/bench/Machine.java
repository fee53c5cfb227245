package io.dataline.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
