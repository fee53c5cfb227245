package io.dataline.dataset.openlineage;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Whether OpenLineage is on, as a property: {@value #ON} is {@code true} when {@code dataline.openlineage.url} or
 * {@code dataline.openlineage.topic} is set, {@code false} otherwise. application.properties sets
 * {@code mp.messaging.incoming.openlineage.enabled=${dataline-openlineage-on}}, so with OpenLineage off its channel runs
 * no consumer at all. (Off, it used to poll nine topics, deserialise and schema-check every pipeline event only to
 * acknowledge it — 15 % of dataset-service's CPU samples on a busy pipeline.) {@link IdleLineageOffsets} keeps the
 * group's offsets at the end of the topics meanwhile. Registered as a service, below the expression interceptor (priority
 * 3300) so that the expression finds the property here; nothing else can define it.
 */
@Priority(Priorities.LIBRARY + 100)
public class LineageChannelSwitch implements ConfigSourceInterceptor {

    public static final String ON = "dataline-openlineage-on";
    public static final String ENABLED = "mp.messaging.incoming.openlineage.enabled";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        if (!ON.equals(name)) {
            return context.proceed(name);
        }
        // from the top of the chain again, so that the URL's own expressions (DATALINE_OPENLINEAGE_URL) are expanded
        String on = Boolean.toString(set(context.restart("dataline.openlineage.url")) || set(context.restart("dataline.openlineage.topic")));
        return ConfigValue.builder().withName(name).withValue(on).withRawValue(on).withConfigSourceName(LineageChannelSwitch.class.getSimpleName()).build();
    }

    private static boolean set(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
