package io.dataline.local;

import io.dataline.infra.KafkaBroker;
import io.dataline.infra.Postgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        Postgres postgres = Postgres.start(layout.postgresDir(), layout.postgresPort());
        KafkaBroker kafka;
        try {
            layout.services().forEach(service -> postgres.ensureDatabase(service.database()));
            kafka = KafkaBroker.start(layout.kafkaDir(), layout.kafkaPort());
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
}
