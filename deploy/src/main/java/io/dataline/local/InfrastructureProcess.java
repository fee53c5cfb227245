package io.dataline.local;

import io.dataline.infra.KafkaBroker;
import io.dataline.infra.Postgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The body of {@code dataline infra}: the local stack's Kafka broker (KRaft) and PostgreSQL in one background JVM,
 * with their state under the stack's home so it survives restarts. Creates one database per service, then writes
 * the ready file and runs until it receives SIGTERM, when it stops the broker and then PostgreSQL cleanly.
 */
final class InfrastructureProcess {

    private InfrastructureProcess() {
    }

    static void run(StackLayout layout) throws IOException, InterruptedException {
        Files.deleteIfExists(layout.infraReadyFile());
        stopOrphanedPostgres(layout.postgresDir());
        Postgres postgres = Postgres.start(layout.postgresDir(), layout.postgresPort());
        KafkaBroker kafka;
        try {
            layout.services().stream().filter(ServiceSpec::hasDatabase).forEach(service -> postgres.ensureDatabase(service.database()));
            kafka = KafkaBroker.start(layout.kafkaDir(), layout.kafkaPort(), layout.partitions());
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
            } finally {
                postgres.close();
                stopped.countDown();
            }
        }, "stop-infrastructure"));
        Files.writeString(layout.infraReadyFile(),
                "kafka=" + kafka.bootstrapServers() + "\npostgres=" + postgres.port() + "\n", StandardCharsets.UTF_8);
        System.err.println("dataline infra: Kafka on " + kafka.bootstrapServers() + ", PostgreSQL on 127.0.0.1:" + postgres.port());
        stopped.await();
    }

    /**
     * PostgreSQL runs as a daemon of its own: when this process was killed (SIGKILL, a crash), its postmaster keeps
     * running on the data directory and a new start would fail. Shut such an orphan down (fast shutdown: its clients
     * are disconnected, committed data is kept) before starting again.
     */
    static void stopOrphanedPostgres(Path dataDir) throws IOException, InterruptedException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (RuntimeException e) {
            return; // unreadable: PostgreSQL will judge it itself
        }
        java.util.Optional<ProcessHandle> postmaster = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (postmaster.isEmpty()) {
            return;
        }
        System.err.println("dataline infra: stopping PostgreSQL left running by a previous infra process (pid " + pid + ")");
        new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start().waitFor();
        try {
            postmaster.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            postmaster.get().destroyForcibly();
        }
    }
}
