package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Covers how the launcher stops what it started ({@code down} asks every service at once, then awaits each): a process
 * that honours SIGTERM ends and one that ignores it is killed at the deadline, both pid files forgotten; a stale pid
 * file, naming nothing of ours, is forgotten without anything being signalled.
 */
class ManagedProcessTest {

    @TempDir
    Path dir;

    private ManagedProcess started(String name, String script) {
        ManagedProcess process = new ManagedProcess(name, dir.resolve(name + ".pid"), name + "-marker");
        // the marker is bash's $0, so it stays on the command line for running() to recognise
        process.start(List.of("bash", "-c", script, name + "-marker"), Map.of(), dir, dir.resolve(name + ".log"));
        assertThat(process.running()).as(name).isPresent();
        return process;
    }

    @Test
    void shouldStopSeveralAtOnceAndKillWhatIgnoresSigtermAtTheDeadline() {
        ManagedProcess polite = started("polite", "while true; do sleep 0.1; done");
        ManagedProcess stubborn = started("stubborn", "trap '' TERM; while true; do sleep 0.1; done");

        ProcessHandle politeHandle = polite.requestStop().orElseThrow();
        ProcessHandle stubbornHandle = stubborn.requestStop().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        polite.awaitStop(politeHandle, deadline);
        stubborn.awaitStop(stubbornHandle, deadline);

        stubbornHandle.onExit().join(); // SIGKILL delivered at the deadline; the exit follows at once
        assertThat(politeHandle.isAlive()).isFalse();
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
