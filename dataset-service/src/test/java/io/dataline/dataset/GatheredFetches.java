package io.dataline.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The OpenLineage consumer (no stage waits for it) asks the broker to gather events for a fetch:
 * it answers at 64 KiB or after 100 ms, not once per event (application.properties, BENCHMARKS.md "Fewer fetches").
 */
public final class GatheredFetches {

    private GatheredFetches() {
    }

    /** The channel's running Kafka consumer was created with those two settings. */
    public static void assertGathered(KafkaClientService clients, String channel) {
        Map<String, ?> consumer = clients.getConsumer(channel).configuration();
        assertThat(consumer.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).as(channel + " fetch.min.bytes").hasToString("65536");
        assertThat(consumer.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).as(channel + " fetch.max.wait.ms").hasToString("100");
    }
}
