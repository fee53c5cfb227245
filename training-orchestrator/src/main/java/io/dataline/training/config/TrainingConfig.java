package io.dataline.training.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of training-orchestrator ({@code dataline.*}); the shared ones (dataset-service URL and key, relay, auth)
 * are read by service-support.
 */
@ConfigMapping(prefix = "dataline")
public interface TrainingConfig {

    /** The URL under which this service is reachable by other processes and pods: artifact URIs and upload URLs. */
    @WithDefault("http://127.0.0.1:8082")
    String publicUrl();

    /** The commit of the training code, recorded in each model version's lineage ({@code DATALINE_CODE_COMMIT}). */
    @WithDefault("unknown")
    String codeCommit();

    Artifacts artifacts();

    Runs runs();

    Trainers trainers();

    /** The build's test-infrastructure switch ({@code -Ddataline.infra=containers}); not used by the service. */
    Optional<String> infra();

    /** With containers: which images the tests run on ({@code -Ddataline.images=local}); not used by the service. */
    Optional<String> images();

    interface Artifacts {
        /** The artifact store's directory ({@code DATALINE_ARTIFACTS_DIR}). */
        @WithDefault("data/artifacts")
        String dir();
    }

    interface Runs {
        /**
         * Runs executed at the same time by this instance; unset, one per processor the JVM may use (a container's CPU
         * limit). Their records in memory share {@link #maxRecordsInMemory()}; runs of one model still execute one at a
         * time, in their commits' order.
         */
        java.util.OptionalInt workers();

        /** How often idle workers look for queued runs (a new run also wakes them at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How often a running run proves its orchestrator is alive. */
        @WithDefault("2s")
        Duration heartbeat();

        /** A RUNNING run whose heartbeat is older than this is orphaned: queued again or failed. */
        @WithDefault("20s")
        Duration staleAfter();

        /** Attempts before an orphaned or interrupted run is failed for good. */
        @WithDefault("2")
        int maxAttempts();

        /** Where runs write their data, logs and outputs. */
        @WithDefault("data/runs")
        String workDir();

        /** Held-out records kept with a model version, with the predictions it made on them (the smoke-check sample). */
        @WithDefault("20")
        int sampleSize();

        /**
         * Most records of one split held in memory (the built-in trainer's training split, the held-out split for
         * evaluation); a run over more fails with a clear message. The version itself streams to files. It is also what
         * the runs executing at once hold between them ({@code RecordsInMemory}): a run waits for the others when its
         * records would not fit beside theirs.
         */
        @WithDefault("500000")
        long maxRecordsInMemory();

        /**
         * Heap kept for built-in models loaded to measure them (chiefly each model's staged version, the baseline of
         * its next run), by their estimated size: least recently used go first, and a model larger than this is read
         * from the artifact store each time (0 keeps none).
         */
        @WithDefault("67108864")
        long loadedModelsBytes();

        /**
         * Largest file a remote trainer may upload ({@code PUT /runs/{id}/outputs/model...} or
         * {@code predictions.ndjson}); more is a 413.
         */
        @WithDefault("2147483648")
        long maxModelBytes();
    }

    interface Trainers {
        /** {@code dataline.trainers.process.<template>.*}: the commands an operator allows, by name. */
        Map<String, ProcessTemplate> process();

        Kubernetes kubernetes();
    }

    interface ProcessTemplate {
        /** The training command line; split on spaces first, then placeholders are replaced (no shell is involved). */
        String command();

        /**
         * The predict command line (same rules): runs a trained model on records without labels and writes one
         * prediction per record. Required: Dataline computes every metric from these predictions.
         */
        Optional<String> predictCommand();

        @WithDefault("30m")
        Duration timeout();

        /** Working directory of the process (default: the run's own directory). */
        Optional<String> directory();

        /** Environment variables the operator gives the process (besides PATH, HOME, TMPDIR, LANG and DATALINE_*). */
        Map<String, String> env();

        /** Names of the service's own environment variables passed through (none by default: never its secrets). */
        Optional<List<String>> inheritEnv();

        /** Resource limits, set with prlimit(1) on the process and everything it starts. */
        Limits limits();
    }

    interface Limits {
        /** Off only where prlimit(1) is missing and the operator accepts unlimited trainers. */
        @WithDefault("true")
        boolean enabled();

        /** Address space (RLIMIT_AS), bytes. */
        @WithDefault("17179869184")
        long maxMemoryBytes();

        /** Largest file the process may write (RLIMIT_FSIZE), bytes: also the largest model file. */
        @WithDefault("2147483648")
        long maxFileBytes();

        /** Open files (RLIMIT_NOFILE). */
        @WithDefault("4096")
        int maxOpenFiles();
    }

    interface Kubernetes {
        /** Namespace the Jobs are created in (default: the client's namespace). */
        Optional<String> namespace();

        @WithDefault("2s")
        Duration pollInterval();

        /** {@code dataline.trainers.kubernetes.templates.<template>.*}: the images an operator allows, by name. */
        Map<String, JobTemplate> templates();
    }

    interface JobTemplate {
        String image();

        /** Container arguments of the training Job; placeholders are replaced in each. */
        Optional<List<String>> args();

        /**
         * Container arguments of a predict Job (the same image): it reads the model and the records without labels
         * from the orchestrator and uploads one prediction per record. Required: Dataline measures every model itself.
         */
        Optional<List<String>> predictArgs();

        @WithDefault("1h")
        Duration timeout();

        Optional<String> serviceAccount();

        @WithDefault("500m")
        String cpu();

        @WithDefault("1Gi")
        String memory();

        /** Size limit of the pod's writable {@code /tmp} (its root filesystem is read-only). */
        @WithDefault("1Gi")
        String tmpSize();
    }
}
