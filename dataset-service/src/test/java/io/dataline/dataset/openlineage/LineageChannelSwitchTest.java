package io.dataline.dataset.openlineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code openlineage} channel runs only when a catalog URL or a topic is configured, the way application.properties
 * configures them (expressions over environment variables, {@code enabled} an expression over the switch's property),
 * and an explicit {@code enabled} wins.
 */
class LineageChannelSwitchTest {

    private static boolean enabled(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of("dataline.openlineage.url", "${LINEAGE_URL:}", "dataline.openlineage.topic", "${LINEAGE_TOPIC:}",
                LineageChannelSwitch.ENABLED, "${" + LineageChannelSwitch.ON + "}"));
        all.putAll(properties);
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withInterceptors(new LineageChannelSwitch())
                .withSources(new PropertiesConfigSource(all, "test", 100)).build();
        return config.getValue(LineageChannelSwitch.ENABLED, Boolean.class);
    }

    @Test
    void offWhenNeitherUrlNorTopicIsSet() {
        assertThat(enabled(Map.of())).isFalse();
        assertThat(enabled(Map.of("LINEAGE_URL", " "))).isFalse();
    }

    @Test
    void onWhenUrlOrTopicIsSet() {
        assertThat(enabled(Map.of("LINEAGE_URL", "http://marquez:5000"))).isTrue();
        assertThat(enabled(Map.of("LINEAGE_TOPIC", "openlineage"))).isTrue();
        assertThat(enabled(Map.of("dataline.openlineage.url", "http://marquez:5000"))).isTrue();
    }

    @Test
    void anExplicitValueWins() {
        assertThat(enabled(Map.of("LINEAGE_URL", "http://marquez:5000", LineageChannelSwitch.ENABLED, "false"))).isFalse();
        assertThat(enabled(Map.of(LineageChannelSwitch.ENABLED, "true"))).isTrue();
        assertThat(enabled(Map.of("LINEAGE_URL", "http://marquez:5000", LineageChannelSwitch.ON, "false"))).as("no source may fake it").isTrue();
    }
}
