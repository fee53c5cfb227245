package io.dataline.testsupport;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Test profile that points every Kafka channel's Apicurio serdes at the registry given in
 * {@code APICURIO_REGISTRY_URL}. Use it together with {@link RequiresSchemaRegistry}, which skips the test class
 * (and says why) when no registry was given.
 */
public class WithSchemaRegistry implements QuarkusTestProfile {

    public static final String REGISTRY_URL_PROPERTY = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Infra.registryUrl().map(url -> Map.of(REGISTRY_URL_PROPERTY, url)).orElse(Map.of());
    }
}
