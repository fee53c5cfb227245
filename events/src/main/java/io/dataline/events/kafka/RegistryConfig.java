package io.dataline.events.kafka;

import io.dataline.events.EventType;
import java.util.HashMap;
import java.util.Map;

/**
 * The Apicurio Registry serde settings every event channel shares: schema id in record headers (so the value stays
 * plain JSON), the schema auto-registered from the classpath under group {@link EventType#REGISTRY_GROUP} with the
 * topic as artifact id.
 */
final class RegistryConfig {

    /** The only setting a deployment provides: the registry's v3 API URL. Blank or absent = no registry. */
    static final String URL = "apicurio.registry.url";
    static final String HEADERS_ENABLED = "apicurio.registry.headers.enabled";
    static final String AUTO_REGISTER = "apicurio.registry.auto-register";
    static final String SCHEMA_LOCATION = "apicurio.registry.artifact.schema.location";
    static final String GROUP_ID = "apicurio.registry.artifact.group-id";
    static final String ARTIFACT_ID = "apicurio.registry.artifact.artifact-id";
    /** Header in which the serdes put the content id of the writer's schema. */
    static final String VALUE_CONTENT_ID_HEADER = "apicurio.value.contentId";
    static final String VALUE_GLOBAL_ID_HEADER = "apicurio.value.globalId";

    private RegistryConfig() {
    }

    static boolean enabled(Map<String, ?> configs) {
        Object url = configs.get(URL);
        return url != null && !url.toString().isBlank();
    }

    static Map<String, Object> forType(Map<String, ?> configs, EventType type) {
        Map<String, Object> copy = new HashMap<>(configs);
        copy.put(HEADERS_ENABLED, true);
        copy.put(AUTO_REGISTER, true);
        copy.put(SCHEMA_LOCATION, type.schemaResource());
        copy.put(GROUP_ID, EventType.REGISTRY_GROUP);
        copy.put(ARTIFACT_ID, type.topic());
        return copy;
    }
}
