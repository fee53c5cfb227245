package io.dataline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Covers the claims that keep two processes from picking one port: held while the claimant lives, for a while. */
class PortClaimsTest {

    @TempDir
    Path dir;

    private Process other;

    @AfterEach
    void stopTheOtherProcess() {
        if (other != null) {
            other.destroyForcibly();
        }
    }

    /** The pid of a process that has exited. */
    private static long deadPid() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        assertThat(dead.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return dead.pid();
    }

    /** Writes a claim of {@code port} by {@code pid}, made {@code ageBeyondHoldSeconds} past {@link PortClaims#HOLD} when positive. */
    private void claimed(int port, long pid, long ageBeyondHoldSeconds) throws Exception {
        Path claim = Files.writeString(dir.resolve(Integer.toString(port)), Long.toString(pid));
        if (ageBeyondHoldSeconds > 0) {
            Files.setLastModifiedTime(claim, FileTime.from(Instant.now().minus(PortClaims.HOLD).minusSeconds(ageBeyondHoldSeconds)));
        }
    }

    @Test
    void shouldRefuseEveryPortOfAClaimWhenALiveProcessHoldsOneOfThem() throws Exception {
        other = new ProcessBuilder("sleep", "60").start();
        claimed(20001, other.pid(), 0);
        PortClaims claims = new PortClaims(dir);

        assertThat(claims.claim(List.of(20000, 20001, 20002))).isFalse();
        assertThat(dir.resolve("20000")).doesNotExist(); // all or nothing
        assertThat(Files.readString(dir.resolve("20001"))).isEqualTo(Long.toString(other.pid()));

        assertThat(claims.claim(List.of(20000, 20002))).isTrue();
        assertThat(Files.readString(dir.resolve("20000"))).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        assertThat(claims.claim(List.of(20000))).as("its own claim is no obstacle to this process").isTrue();
    }

    @Test
    void shouldLetAPortGoWhenItsClaimantDiedOrTheClaimIsOld() throws Exception {
        claimed(20010, deadPid(), 0);
        other = new ProcessBuilder("sleep", "60").start();
        claimed(20011, other.pid(), 5);
        Files.writeString(dir.resolve("20012"), "tor"); // a claim cut short by a crash

        assertThat(new PortClaims(dir).claim(List.of(20010, 20011, 20012))).isTrue();
        for (String port : List.of("20010", "20011", "20012")) {
            assertThat(Files.readString(dir.resolve(port))).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }

    @Test
    void shouldRemoveTheClaimsNobodyHoldsAnyMore() throws Exception {
        claimed(20030, deadPid(), 0);
        other = new ProcessBuilder("sleep", "60").start();
        claimed(20031, other.pid(), 0);
        claimed(20032, other.pid(), 5);

        assertThat(new PortClaims(dir).claim(List.of(20033))).isTrue();
        assertThat(dir.resolve("20030")).doesNotExist();
        assertThat(dir.resolve("20032")).doesNotExist();
        assertThat(dir.resolve("20031")).exists(); // a live process's recent claim stays
        assertThat(dir.resolve("20033")).exists();
    }

    @Test
    void shouldClaimNothingAndStillPickWhereTheDirectoryCannotBeUsed() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        assertThat(new PortClaims(file.resolve("claims")).claim(List.of(20020))).isTrue();
    }

    @Test
    void shouldHaveTheSharedPicksSeeAnotherProcesssClaim() throws Exception {
        // a range picked by this JVM is written down where FreePorts' claims live, for the other processes to see
        int base = FreePorts.range(3);
        Path shared = Path.of(System.getProperty("dataline.ports.claims", Path.of(System.getProperty("java.io.tmpdir"), "dataline-ports").toString()));
        for (int port = base; port < base + 3; port++) {
            assertThat(Files.readString(shared.resolve(Integer.toString(port)))).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
    }
}
