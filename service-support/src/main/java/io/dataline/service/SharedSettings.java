package io.dataline.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * The settings of the shared plumbing, the same keys in every service ({@code dataline.*}; each service maps its own
 * beside these). dataset-service, which neither calls itself nor introspects keys, leaves the first two unset.
 */
@ConfigMapping(prefix = "dataline")
public interface SharedSettings {

    /** Where dataset-service answers ({@code DATALINE_DATASET_SERVICE_URL}). */
    DatasetService datasetService();

    /** This service's own API key for dataset-service ({@code DATALINE_SERVICE_KEY}); never logged. */
    Optional<String> serviceKey();

    Relay relay();

    Auth auth();

    Flyway flyway();

    Consumer consumer();

    interface DatasetService {
        Optional<String> url();

        @WithDefault("10s")
        Duration connectTimeout();
    }

    /** The outbox relay: how often it polls when nothing wakes it, how long it waits for the broker's ack. */
    interface Relay {
        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("30s")
        Duration ackTimeout();

        /** How long published rows stay in the outbox (for inspection) before the relay deletes them. */
        @WithDefault("168h")
        Duration retention();

        /** Refusals (not retriable ones) before a row is parked so that later events go on. */
        @WithDefault("5")
        int maxAttempts();
    }

    /** How long an introspected API key's answer is cached (a revoked key stops working within it). */
    interface Auth {
        @WithDefault("5s")
        Duration cacheTtl();
    }

    interface Consumer {
        Retry retry();
    }

    /**
     * How a consumer retries: transient failures (dataset-service, database or broker away) with this back-off until
     * they pass; unexpected ones {@code max-retries} times before dead-lettering (see ConsumerRetry).
     */
    interface Retry {
        @WithDefault("6")
        int maxRetries();

        @WithDefault("500ms")
        Duration initialDelay();

        @WithDefault("10s")
        Duration maxDelay();
    }

    interface Flyway {
        /** {@code version:checksum,...}: released forms of migrations whose shared tables moved to the shared migrations. */
        Optional<String> releasedChecksums();
    }

    /** dataset-service's URL, or a clear error naming the missing setting. */
    default String requireDatasetServiceUrl() {
        return datasetService().url().orElseThrow(() -> new IllegalStateException("dataline.dataset-service.url (DATALINE_DATASET_SERVICE_URL) is not set"));
    }

    default String requireServiceKey() {
        return serviceKey().orElseThrow(() -> new IllegalStateException("dataline.service-key (DATALINE_SERVICE_KEY) is not set"));
    }
}
