package io.dataline.validation.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of validation-service ({@code dataline.*}). */
@ConfigMapping(prefix = "dataline")
public interface ValidationConfig {

    /** Where dataset-service answers ({@code DATALINE_DATASET_SERVICE_URL}). */
    DatasetService datasetService();

    /** This service's own API key for dataset-service ({@code DATALINE_SERVICE_KEY}). */
    String serviceKey();

    /** The URL under which this service's reports are reachable, for the links in events. */
    @WithDefault("http://127.0.0.1:8081")
    String publicUrl();

    Relay relay();

    /** The build's test-infrastructure switch ({@code -Ddataline.infra=containers}); not used by the service. */
    Optional<String> infra();

    interface DatasetService {
        String url();

        @WithDefault("10s")
        Duration connectTimeout();
    }

    interface Relay {
        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("30s")
        Duration ackTimeout();
    }
}
