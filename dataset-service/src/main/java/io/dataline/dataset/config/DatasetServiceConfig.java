package io.dataline.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/** Business settings of dataset-service ({@code dataline.*}). */
@ConfigMapping(prefix = "dataline")
public interface DatasetServiceConfig {

    /** The admin API key ({@code DATALINE_ADMIN_KEY}); at least 16 characters. Unset = no admin key. */
    @WithName("admin-key")
    Optional<String> adminKey();

    Records records();

    /** The build's test-infrastructure switch ({@code -Ddataline.infra=containers}); not used by the service. */
    Optional<String> infra();

    Relay relay();

    /** Where the other services answer, for the links of the lineage view. */
    Links links();

    interface Links {
        @WithDefault("http://127.0.0.1:8082")
        String trainingOrchestrator();

        @WithDefault("http://127.0.0.1:8083")
        String deployService();
    }

    interface Records {
        /** Largest JSON-array body of {@code POST /records}; NDJSON bodies are streamed without a total limit. */
        @WithDefault("67108864")
        long maxBodyBytes();

        /** Largest single record (its canonical JSON). */
        @WithDefault("1048576")
        int maxRecordBytes();

        /** How many errors a 422 lists at most (the total is always given). */
        @WithDefault("100")
        int maxErrors();
    }

    interface Relay {
        /** Poll interval of the outbox relay when no commit wakes it. */
        @WithDefault("1s")
        Duration pollInterval();

        /** How long the relay waits for the broker to acknowledge one event before backing off. */
        @WithDefault("30s")
        Duration ackTimeout();
    }
}
