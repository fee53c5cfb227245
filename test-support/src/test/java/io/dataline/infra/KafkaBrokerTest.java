package io.dataline.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.testsupport.TopicClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Covers the in-process KRaft broker: it binds 127.0.0.1 only, carries records, and after a stop and restart on the
 * same directory still holds what was written before (what the broker-outage tests and the local stack rely on).
 */
class KafkaBrokerTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepRecordsAcrossARestartOnTheSameDirectory() {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"), 0)) {
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
            try (TopicClient client = new TopicClient(broker.bootstrapServers(), null)) {
                client.publishRaw("broker.test", "k", "before".getBytes(StandardCharsets.UTF_8));
            }

            broker.stop();
            assertThat(FreePorts.inUse(broker.port())).isFalse();
            broker.restart();

            try (TopicClient client = new TopicClient(broker.bootstrapServers(), null)) {
                client.publishRaw("broker.test", "k", "after".getBytes(StandardCharsets.UTF_8));
                assertThat(client.read("broker.test", 2, r -> true, Duration.ofSeconds(30)))
                        .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                        .containsExactly("before", "after");
            }
        }
    }
}
