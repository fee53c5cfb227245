package io.dataline.console.board;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/** The feed lets the broker gather events for it, on its own copy of the console's Kafka settings. */
class PipelineFeedTest {

    @Test
    void shouldGatherFetchesOnACopyThatKeepsTheClientsSettingsAndLeavesTheSharedMapAlone() {
        Map<String, Object> shared = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:19092",
                "security.protocol", "SSL"));
        Map<String, Object> before = Map.copyOf(shared);

        Map<String, Object> feed = new PipelineFeed(shared).consumerSettings();

        assertThat(feed).containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65536).containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100)
                .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:19092").containsEntry("security.protocol", "SSL");
        assertThat(shared).isEqualTo(before); // the dead-letter pages read with the console's settings, not the feed's
    }
}
