package io.dataline.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Quarkus test resource: the real dataset-service as a separate process ({@link DatasetServiceProcess}); contributes
 * its URL and a key for it ({@code dataline.dataset-service.url}, {@code dataline.service-key}).
 */
public class DatasetServiceResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        DatasetServiceProcess process = DatasetServiceProcess.instance();
        return Map.of("dataline.dataset-service.url", process.url(), "dataline.service-key", DatasetServiceProcess.ADMIN_KEY);
    }

    @Override
    public void stop() {
        // the process outlives one application start; it stops when the JVM exits
    }
}
