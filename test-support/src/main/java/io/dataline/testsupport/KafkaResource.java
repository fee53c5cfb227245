package io.dataline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: a real Kafka broker (KRaft, in-process, 127.0.0.1, free port) for the application under
 * test. Contributes {@code kafka.bootstrap.servers}; in containers mode the {@code dataline/kafka} container's
 * ({@link LocalImages}), or nothing so that Dev Services start the official image.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        if (LocalImages.enabled()) {
            return Map.of("kafka.bootstrap.servers", LocalImages.kafkaBootstrap(), "quarkus.kafka.devservices.enabled", "false",
                    "quarkus.apicurio-registry.devservices.enabled", "false");
        }
        if (Infra.containers()) {
            return Map.of();
        }
        return Map.of("kafka.bootstrap.servers", Infra.kafka().bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker outlives one application start: Infra stops it when the JVM exits.
    }
}
