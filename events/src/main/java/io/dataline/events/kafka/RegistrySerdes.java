package io.dataline.events.kafka;

import io.dataline.events.EventType;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The Apicurio serializers or deserializers of one Kafka client: one per event type, made on first use with the
 * client's settings narrowed to that type's artifact ({@link RegistryConfig#forType}), and closed together.
 */
final class RegistrySerdes<S> {

    /** Makes the serde of one type from its settings. */
    interface Factory<S> {
        S make(EventType type, Map<String, ?> typeConfigs, boolean isKey);
    }

    private final Map<EventType, S> byType = new ConcurrentHashMap<>();
    private final Factory<S> factory;
    private final Consumer<S> closer;
    private Map<String, ?> configs = Map.of();
    private boolean isKey;

    RegistrySerdes(Factory<S> factory, Consumer<S> closer) {
        this.factory = factory;
        this.closer = closer;
    }

    void configure(Map<String, ?> configs, boolean isKey) {
        this.configs = Map.copyOf(configs);
        this.isKey = isKey;
    }

    /** Whether the client talks to a schema registry at all. */
    boolean enabled() {
        return RegistryConfig.enabled(configs);
    }

    S forType(EventType type) {
        return byType.computeIfAbsent(type, t -> factory.make(t, RegistryConfig.forType(configs, t), isKey));
    }

    void close() {
        byType.values().forEach(closer);
        byType.clear();
    }
}
