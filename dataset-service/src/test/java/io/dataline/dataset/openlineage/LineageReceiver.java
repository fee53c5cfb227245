package io.dataline.dataset.openlineage;

import io.dataline.testsupport.RecordingServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A lineage catalog for the tests: test-support's {@link RecordingServer} as Marquez's endpoint
 * ({@code POST /api/v1/lineage}), and the service under test configured to send to it, with a bearer token (and to
 * the topic {@value #TOPIC} of the test broker), reading
 * the pipeline topics from their end in a consumer group of its own (only what a test publishes reaches it).
 */
public class LineageReceiver implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "catalog-token";
    /** The events also go to this topic of the test broker. */
    static final String TOPIC = "openlineage.events";
    static RecordingServer catalog;

    static String url() {
        return catalog.url("");
    }

    /** The bodies of the lineage events the catalog accepted. */
    static List<String> accepted() {
        return catalog.received().stream().filter(r -> r.path().equals("/api/v1/lineage") && r.status() / 100 == 2)
                .map(RecordingServer.Received::bodyText).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            catalog = new RecordingServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String group = "openlineage-test-" + UUID.randomUUID();
        return Map.of("dataline.openlineage.url", url(), "dataline.openlineage.api-key", TOKEN, "dataline.openlineage.topic", TOPIC,
                "mp.messaging.incoming.openlineage.group.id", group, "mp.messaging.incoming.openlineage.group.instance.id", group,
                "mp.messaging.incoming.openlineage.auto.offset.reset", "latest", "dataline.links.validation-service", url());
    }

    @Override
    public void stop() {
        catalog.close();
    }
}
