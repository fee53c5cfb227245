package io.dataline.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of deploy-service ({@code dataline.*}); the shared ones (dataset-service URL and its own key, relay, auth)
 * are read by service-support.
 */
@ConfigMapping(prefix = "dataline")
public interface DeployConfig {

    /** Where training-orchestrator answers ({@code DATALINE_TRAINING_ORCHESTRATOR_URL}): versions, samples, compare. */
    Remote trainingOrchestrator();

    /**
     * Largest artifact verified for a promotion (streamed, its checksum computed on the way, never held in memory); the
     * default is training-orchestrator's largest upload, so whatever it registers can be promoted.
     */
    @WithDefault("2147483648")
    long maxArtifactBytes();

    /** Largest built-in model this service loads to serve it (it is held in memory: keep well below the heap). */
    @WithDefault("134217728")
    long maxBuiltinArtifactBytes();

    Deployers deployers();

    Promotion promotion();

    /** How moves of the staging alias are serialized and reconciled. */
    interface Promotion {
        /** How long a promotion or rollback by hand waits for another move of the same model (409 after). */
        @WithDefault("10s")
        Duration lockWait();

        /** How often pending intents whose process is gone are settled and the cluster put back to the alias. */
        @WithDefault("60s")
        Duration reconcileInterval();

        /**
         * How often this replica compares what it serves with the staging alias in the database and loads what another
         * replica promoted (a prediction may answer from the previous version for that long).
         */
        @WithDefault("2s")
        Duration followInterval();
    }

    /** The build's test-infrastructure switch ({@code -Ddataline.infra=containers}); not used by the service. */
    Optional<String> infra();

    /** With containers: which images the tests run on ({@code -Ddataline.images=local}); not used by the service. */
    Optional<String> images();

    interface Remote {
        String url();

        @WithDefault("10s")
        Duration connectTimeout();

        @WithDefault("2m")
        Duration requestTimeout();
    }

    interface Deployers {
        Kubernetes kubernetes();
    }

    /**
     * The kubernetes deployer: off unless {@code deployment} is set. {@code deployment} names the Deployment that
     * serves a model; {@code {model}} in it is replaced by the model's name.
     */
    interface Kubernetes {
        Optional<String> deployment();

        Optional<String> namespace();

        /** The container that gets the model's environment (default: the first). */
        Optional<String> container();

        @WithDefault("5m")
        Duration rolloutTimeout();

        @WithDefault("2s")
        Duration pollInterval();
    }
}
