package io.dataline.testsupport;

import io.dataline.infra.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole local stack (Kafka, PostgreSQL and the four services), started the way a user starts it, with
 * {@code ./dataline up}, on free ports and a temporary home so a developer's own stack is left alone; stopped with
 * {@code ./dataline down}. For the tests of clients written in other languages, which run as processes against it
 * with {@code DATALINE_URL} and {@code DATALINE_API_KEY} set, exactly as a user's script would.
 */
public final class LocalStackProcess implements AutoCloseable {

    /** The admin key the stack is started with. */
    public static final String ADMIN_KEY = "client-it-admin-key-0123456789";

    private final Path root;
    private final int base;
    private final Map<String, String> env = new HashMap<>();

    /** What a command printed (stdout and stderr, interleaved) and how it ended. */
    public record Result(int exitCode, String output) {
    }

    private LocalStackProcess(Path root, Path home) {
        this.root = root;
        this.base = FreePorts.range(5, 1000); // four services and the console, each with its management port 1000 above
        env.put("DATALINE_HOME", home.toString());
        env.put("DATALINE_PORT_BASE", Integer.toString(base));
        env.put("DATALINE_KAFKA_PORT", Integer.toString(FreePorts.pick()));
        env.put("DATALINE_POSTGRES_PORT", Integer.toString(FreePorts.pick()));
        env.put("DATALINE_ADMIN_KEY", ADMIN_KEY);
    }

    /** Starts the stack of the repository this test runs in, keeping its state under {@code home}. */
    public static LocalStackProcess up(Path home) {
        LocalStackProcess stack = new LocalStackProcess(repositoryRoot(), home);
        Result up = stack.dataline("up");
        if (up.exitCode() != 0) {
            stack.close();
            throw new IllegalStateException("./dataline up failed (exit " + up.exitCode() + "):\n" + up.output());
        }
        return stack;
    }

    /** The repository's root: {@code DATALINE_ROOT}, else the nearest directory above the working one with the launcher. */
    public static Path repositoryRoot() {
        String configured = System.getenv("DATALINE_ROOT");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("dataline")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no Dataline repository above " + Path.of("").toAbsolutePath() + "; set DATALINE_ROOT");
    }

    public Path root() {
        return root;
    }

    /** dataset-service's base URL, the one the clients talk to. */
    public String datasetsUrl() {
        return "http://127.0.0.1:" + base;
    }

    /** A service's base URL by its place in the stack: 0 dataset-service, 1 validation, 2 training, 3 deploy. */
    public String serviceUrl(int index) {
        return "http://127.0.0.1:" + (base + index);
    }

    /** The environment a user's script gets: where dataset-service answers and the key to use. */
    public Map<String, String> clientEnvironment() {
        return Map.of("DATALINE_URL", datasetsUrl(), "DATALINE_API_KEY", ADMIN_KEY);
    }

    /** Runs {@code ./dataline <args>} against this stack. */
    public Result dataline(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("dataline").toString()));
        command.addAll(List.of(args));
        return run(root, command, env, Duration.ofMinutes(10));
    }

    /**
     * Runs a command in {@code dir} with {@code env} added to this process's environment; its output is returned (and
     * kept in memory: for test commands, not bulk data). Fails when it outlives {@code timeout}.
     */
    public static Result run(Path dir, List<String> command, Map<String, String> env, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append("(output unreadable: ").append(e.getMessage()).append(')');
                }
            }, "output-of-" + command.get(0));
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
                reader.join(5_000);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n" + output);
            }
            reader.join();
            return new Result(process.exitValue(), output.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    /** Stops everything {@link #up} started. */
    @Override
    public void close() {
        Result down = dataline("down");
        if (down.exitCode() != 0) {
            System.err.println("./dataline down failed (exit " + down.exitCode() + "):\n" + down.output());
        }
    }
}
