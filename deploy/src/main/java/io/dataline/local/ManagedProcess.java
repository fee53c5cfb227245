package io.dataline.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A background process the launcher started, known by its pid file. A pid is only trusted while the process it
 * names still runs the command we started (its command line carries the marker), so a recycled pid is never killed.
 */
record ManagedProcess(String name, Path pidFile, String marker) {

    /**
     * A killed process whose parent has not reaped it yet still "is alive" to the JDK, without a command line; in a
     * container without an init that reaps, it can stay so. It runs nothing.
     */
    static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int end = stat.lastIndexOf(')');
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException e) {
            return false; // no /proc (not Linux) or already gone
        }
    }

    /** The running process this pid file names, if it is still ours. */
    Optional<ProcessHandle> running() {
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(h -> !zombie(h.pid())).filter(this::isOurs);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private boolean isOurs(ProcessHandle handle) {
        return handle.info().commandLine().map(line -> line.contains(marker)).orElse(true);
    }

    /**
     * Starts {@code command} detached from the terminal (its own session, so Ctrl-C on {@code up} does not reach it),
     * output appended to {@code log}, and records its pid.
     */
    ProcessHandle start(List<String> command, Map<String, String> environment, Path workingDir, Path log) {
        try {
            Files.createDirectories(pidFile.getParent());
            Files.createDirectories(log.getParent());
            List<String> detached = Files.isExecutable(Path.of("/usr/bin/setsid"))
                    ? concat("/usr/bin/setsid", command)
                    : command;
            ProcessBuilder builder = new ProcessBuilder(detached)
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(environment);
            Process process = builder.start();
            Files.writeString(pidFile, Long.toString(process.pid()), StandardCharsets.UTF_8);
            return process.toHandle();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Stops the process politely (SIGTERM), forcibly after {@code grace}; forgets the pid file. */
    boolean stop(Duration grace) {
        Optional<ProcessHandle> process = requestStop();
        process.ifPresent(handle -> awaitStop(handle, System.nanoTime() + grace.toNanos()));
        return process.isPresent();
    }

    /**
     * Asks the process to stop (SIGTERM) without waiting, so that several can stop at once; the handle to pass to
     * {@link #awaitStop}. Forgets the pid file at once when nothing of ours runs.
     */
    Optional<ProcessHandle> requestStop() {
        Optional<ProcessHandle> process = running();
        process.ifPresentOrElse(ProcessHandle::destroy, this::forget);
        return process;
    }

    /** Waits for a process {@link #requestStop} asked to stop; kills it (SIGKILL) at {@code deadlineNanos}; forgets the pid file. */
    void awaitStop(ProcessHandle handle, long deadlineNanos) {
        try {
            handle.onExit().get(Math.max(0, deadlineNanos - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception timeout) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        }
        forget();
    }

    void forget() {
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }

    /** The java of this JVM, for the processes it starts. */
    static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The last 25 lines of a log, for an error message. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log)";
        }
    }
}
