package io.dataline.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local stack as other tools use it (the benchmarks): starts whatever of it is not running, exactly as
 * {@code ./dataline up} does, and says where everything answers. Stops it again only if this call started it.
 */
public final class RunningStack {

    private final StackLayout layout;
    private final LocalStack stack;
    private final boolean startedHere;
    private final String adminKey;

    private RunningStack(StackLayout layout, LocalStack stack, boolean startedHere, String adminKey) {
        this.layout = layout;
        this.stack = stack;
        this.startedHere = startedHere;
        this.adminKey = adminKey;
    }

    /** The stack of the repository at {@code root} with the launcher's environment variables, started if needed. */
    public static RunningStack ensureUp(Path root, Map<String, String> env, PrintStream out) throws IOException, InterruptedException {
        StackLayout layout = StackLayout.from(root, env);
        LocalStack stack = new LocalStack(layout, env, out);
        boolean infraRunning = stack.infra().running().isPresent();
        if (!infraRunning || !layout.services().stream().allMatch(stack::healthy)) {
            out.println(infraRunning ? "Not every service of the local stack answers; starting what is down (./dataline up)..."
                    : "The local stack is not running; starting it (./dataline up)...");
            stack.up();
        }
        // a stack whose Kafka and PostgreSQL already ran is someone's (a service slow to answer a health check does not
        // make it this run's): only one started from nothing is stopped again
        return new RunningStack(layout, stack, !infraRunning, stack.adminKey());
    }

    /** Processes per service the stack runs ({@code up --replicas N}); the topics' partitions are {@link #partitions}. */
    public int replicas() {
        return StackLayout.from(layout.root(), Map.of("DATALINE_HOME", layout.home().toString())).replicas();
    }

    public int partitions() {
        return layout.partitions();
    }

    public boolean startedHere() {
        return startedHere;
    }

    /** Stops the stack if {@link #ensureUp} started it; leaves a stack that was already running alone. */
    public void stopIfStartedHere() throws IOException {
        if (startedHere) {
            stack.down();
        }
    }

    /** The services' names, in start order. */
    public java.util.List<String> services() {
        return layout.services().stream().map(ServiceSpec::name).toList();
    }

    /**
     * The peak resident memory of a running service's process so far (VmHWM from {@code /proc/<pid>/status}, Linux), in
     * bytes; empty when the service is not running or the kernel does not say.
     */
    public java.util.OptionalLong peakRssBytes(String service) {
        var handle = stack.process(spec(service)).running();
        if (handle.isEmpty()) {
            return java.util.OptionalLong.empty();
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(handle.get().pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return java.util.OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return java.util.OptionalLong.empty();
    }

    /**
     * CPU time (user and system) a running service's process has used so far, in seconds (its first replica's); empty
     * when it is not running or the platform does not say.
     */
    public java.util.OptionalDouble cpuSeconds(String service) {
        return stack.process(spec(service)).running().flatMap(handle -> handle.info().totalCpuDuration())
                .map(cpu -> java.util.OptionalDouble.of(cpu.toNanos() / 1e9)).orElse(java.util.OptionalDouble.empty());
    }

    /** Kills one service with SIGKILL, as a crash would; false when it was not running. */
    public boolean kill(String service) {
        return stack.kill(spec(service));
    }

    /** Starts whatever is not running (a killed service, or everything after {@link #down}) and waits until healthy. */
    public void up() throws IOException, InterruptedException {
        stack.up();
    }

    /** Stops everything gracefully (services, then Kafka and PostgreSQL), as {@code ./dataline down} does. */
    public void down() throws IOException {
        stack.down();
    }

    /** Base URL of a service: dataset-service, validation-service, training-orchestrator, deploy-service. */
    public String url(String service) {
        return spec(service).url();
    }

    private ServiceSpec spec(String service) {
        return layout.services().stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + service));
    }

    public String adminKey() {
        return adminKey;
    }

    public String kafkaBootstrap() {
        return layout.kafkaBootstrap();
    }

    /** JDBC URL of a database of the stack's PostgreSQL (user {@code postgres}, no password). */
    public String jdbcUrl(String database) {
        return layout.jdbcUrl(database);
    }

    /** Where the stack keeps its state. */
    public Path home() {
        return layout.home();
    }
}
