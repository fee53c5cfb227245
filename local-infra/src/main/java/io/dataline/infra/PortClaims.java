package io.dataline.infra;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The ports the processes of this machine picked with {@link FreePorts}, so that two of them never pick the same one
 * between a pick and its bind (a module's tests starting a stack while another module's tests start theirs, with
 * {@code mvn -T}): one file per claimed port in a shared directory, holding the claiming process's pid, read and written
 * under a file lock. A claim holds while its process lives and for {@link #HOLD} after it was made: by then the port is
 * bound, which {@link FreePorts#inUse} sees, or was let go. Where the directory cannot be used, claims are not shared
 * and every claim succeeds (each JVM still hands a port out once).
 */
final class PortClaims {

    /** How long a claim by a live process holds. */
    static final Duration HOLD = Duration.ofMinutes(10);

    private static final Object IN_THIS_JVM = new Object(); // a JVM may not hold two locks on one file

    private final Path dir;
    private final long self = ProcessHandle.current().pid();
    private boolean pruned;

    PortClaims(Path dir) {
        this.dir = dir;
    }

    /** Claims in {@code dataline.ports.claims}, else {@code dataline-ports} in the temporary directory. */
    static PortClaims shared() {
        String configured = System.getProperty("dataline.ports.claims");
        return new PortClaims(configured != null ? Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"), "dataline-ports"));
    }

    /** Claims every one of {@code ports} for this process, or none when another live process holds one of them. */
    boolean claim(List<Integer> ports) {
        synchronized (IN_THIS_JVM) {
            try {
                Files.createDirectories(dir);
                try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = lockFile.lock()) {
                    if (!pruned) {
                        prune();
                        pruned = true;
                    }
                    for (int port : ports) {
                        if (heldByAnother(dir.resolve(Integer.toString(port)))) {
                            return false;
                        }
                    }
                    for (int port : ports) {
                        Files.writeString(dir.resolve(Integer.toString(port)), Long.toString(self), StandardCharsets.US_ASCII);
                    }
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                return true; // not shared here (read-only or foreign directory): each JVM's own bookkeeping still holds
            }
        }
    }

    /** Removes the claims nobody holds any more (once per JVM: the directory would otherwise keep one per port ever picked). */
    private void prune() throws IOException {
        try (var claims = Files.list(dir)) {
            for (Path claim : claims.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                if (!heldByAnother(claim) && !ours(claim)) {
                    Files.deleteIfExists(claim);
                }
            }
        }
    }

    private boolean ours(Path claim) throws IOException {
        try {
            return Long.parseLong(Files.readString(claim, StandardCharsets.US_ASCII).trim()) == self;
        } catch (NumberFormatException | java.nio.file.NoSuchFileException e) {
            return false;
        }
    }

    private boolean heldByAnother(Path claim) throws IOException {
        if (!Files.exists(claim)) {
            return false;
        }
        FileTime made = Files.getLastModifiedTime(claim);
        if (made.toInstant().isBefore(Instant.now().minus(HOLD))) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(claim, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return false; // torn by a crash mid-write: nobody's
        }
        if (pid == self) {
            return false; // ours: this JVM's own bookkeeping decides
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        return process.isPresent() && process.get().isAlive();
    }
}
