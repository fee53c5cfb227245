package io.dataline.testsupport;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Gives Quarkus tests an injectable {@link TopicClient} on the application's broker, going through the schema
 * registry exactly when the application does (the {@link WithSchemaRegistry} profile), closed at shutdown.
 */
@Singleton
public class TopicClients {

    @Produces
    @Singleton
    TopicClient topicClient(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = WithSchemaRegistry.REGISTRY_URL_PROPERTY) Optional<String> registryUrl) {
        return new TopicClient(bootstrapServers, registryUrl.filter(url -> !url.isBlank()).orElse(null));
    }

    void close(@Disposes TopicClient client) {
        client.close();
    }
}
