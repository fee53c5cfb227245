package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Covers how the launcher stops what it started ({@code down} asks every service at once, then awaits each): a process
 * that honours SIGTERM gets it and ends on its own, one that ignores it is killed at the deadline, both pid files
 * forgotten; a stale pid file, naming nothing of ours, is forgotten without anything being signalled.
 */
class ManagedProcessTest {

    @TempDir
    Path dir;

    /** Starts {@code trap} then an endless loop; returns once the trap is set (a signal before it would end bash at once). */
    private ManagedProcess started(String name, String trap) throws Exception {
        ManagedProcess process = new ManagedProcess(name, dir.resolve(name + ".pid"), name + "-marker");
        Path ready = dir.resolve(name + ".ready");
        // the marker is bash's $0, so it stays on the command line for running() to recognise
        process.start(List.of("bash", "-c", trap + "; touch " + ready + "; while true; do sleep 0.1; done", name + "-marker"), Map.of(), dir,
                dir.resolve(name + ".log"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(ready) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ready).as(name + " set its trap").exists();
        assertThat(process.running()).as(name).isPresent();
        return process;
    }

    @Test
    void shouldStopSeveralAtOnceAndKillWhatIgnoresSigtermAtTheDeadline() throws Exception {
        Path terminated = dir.resolve("polite.terminated");
        ManagedProcess polite = started("polite", "trap 'echo SIGTERM > " + terminated + "; exit 0' TERM");
        ManagedProcess stubborn = started("stubborn", "trap '' TERM");

        ProcessHandle politeHandle = polite.requestStop().orElseThrow();
        ProcessHandle stubbornHandle = stubborn.requestStop().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        polite.awaitStop(politeHandle, deadline);
        stubborn.awaitStop(stubbornHandle, deadline);

        // SIGKILL was sent at the deadline (without it the process would run on and this would time out)
        stubbornHandle.onExit().get(10, TimeUnit.SECONDS);
        assertThat(politeHandle.isAlive()).isFalse();
        assertThat(terminated).as("the polite one ended on SIGTERM, not killed").content().isEqualToIgnoringNewLines("SIGTERM");
        assertThat(stubbornHandle.isAlive()).isFalse();
        assertThat(dir.resolve("polite.pid")).doesNotExist();
        assertThat(dir.resolve("stubborn.pid")).doesNotExist();
        assertThat(polite.running()).isEmpty();
        assertThat(stubborn.stop(Duration.ofSeconds(1))).as("nothing left to stop").isFalse();
    }

    @Test
    void shouldForgetAPidFileThatNamesNothingOfOurs() throws Exception {
        Path pidFile = dir.resolve("gone.pid");
        Files.writeString(pidFile, Long.toString(ProcessHandle.current().pid())); // alive, but not running our marker
        ManagedProcess gone = new ManagedProcess("gone", pidFile, "gone-marker-that-nothing-runs");

        assertThat(gone.requestStop()).isEmpty();
        assertThat(pidFile).doesNotExist();
        assertThat(ProcessHandle.current().isAlive()).isTrue();
    }
}
