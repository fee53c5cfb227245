package io.dataline.dataset.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
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

    /** With containers: which images the tests run on ({@code -Ddataline.images=local}); not used by the service. */
    Optional<String> images();

    /** Where the other services answer, for the links of the lineage view. */
    Links links();

    Webhooks webhooks();

    ChangeSets changesets();

    Idempotency idempotency();

    Http http();

    /** Where the bytes of chunks (the tree nodes of versions) are kept. */
    Chunks chunks();

    OpenLineage openlineage();

    /**
     * This service's URL as other systems reach it ({@code DATALINE_PUBLIC_URL}): the OpenLineage datasets' namespace is
     * {@code dataline://<its host>}, and the custom facet's schema URL points into it.
     */
    @WithDefault("http://127.0.0.1:8080")
    String publicUrl();

    /**
     * Lineage events in the OpenLineage standard: off unless {@code url} (HTTP, Marquez-compatible) or {@code topic}
     * (Kafka) is set.
     */
    interface OpenLineage {
        /** The catalog's base URL ({@code DATALINE_OPENLINEAGE_URL}); events are POSTed to {@code <url>/api/v1/lineage}. */
        Optional<String> url();

        /** Sent as {@code Authorization: Bearer} to the catalog ({@code DATALINE_OPENLINEAGE_API_KEY}); never logged. */
        Optional<String> apiKey();

        /** The jobs' namespace ({@code DATALINE_OPENLINEAGE_NAMESPACE}). */
        @WithDefault("dataline")
        String namespace();

        /** A Kafka topic of this cluster to publish the events to ({@code DATALINE_OPENLINEAGE_TOPIC}). */
        Optional<String> topic();

        /** How long one HTTP request to the catalog may take. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * While OpenLineage is off, how often its consumer group's offsets are moved to the end of the pipeline topics, so
         * that turning it on later starts about then instead of publishing the whole retained history; 0 = never.
         */
        @WithDefault("60s")
        Duration idleOffsetsInterval();
    }

    interface Chunks {
        /**
         * Where new chunks go ({@code DATALINE_CHUNKS}): {@code postgres} (in the chunk table) or {@code s3} (objects in
         * {@link S3#bucket()}; the table then records only which chunks exist). Chunks already stored stay where they
         * are and are read from there; {@code dataline chunks migrate} moves a dataset's.
         */
        @WithDefault("postgres")
        String backend();

        S3 s3();

        Sweep sweep();

        interface S3 {
            /** An S3-compatible endpoint ({@code DATALINE_CHUNKS_S3_ENDPOINT}, e.g. MinIO); unset = AWS S3. */
            Optional<java.net.URI> endpoint();

            /** The bucket ({@code DATALINE_CHUNKS_S3_BUCKET}); it must exist. Required when any chunk is in S3. */
            Optional<String> bucket();

            /** The region ({@code DATALINE_CHUNKS_S3_REGION}); unset = the SDK's default chain, else us-east-1. */
            Optional<String> region();

            /** Path-style URLs (bucket in the path); default: on with an endpoint (MinIO, Ceph RGW), off for AWS. */
            Optional<Boolean> pathStyle();

            /** Where in the bucket the chunks are: {@code <prefix>ab/cdef…} by content hash. */
            @WithDefault("chunks/")
            String prefix();

            /** Requests to object storage in flight at once, per operation (uploads of a commit, reads of a scan). */
            @WithDefault("16")
            int parallelism();

            /** How long one request may take, retries included. */
            @WithDefault("30s")
            Duration timeout();
        }

        interface Sweep {
            /** How often objects no version references (left by failed commits) are looked for; 0 = never. */
            @WithDefault("1h")
            Duration every();

            /** Such an object is deleted only once it is older than this, so no commit in flight loses one. */
            @WithDefault("6h")
            Duration grace();
        }
    }

    interface Http {
        /** Largest body of any request but a record upload (those stream); 413 beyond. */
        @WithDefault("1048576")
        long maxJsonBodyBytes();
    }

    interface Idempotency {
        /** How long the answer to a commit with an Idempotency-Key is kept for retries. */
        @WithDefault("168h")
        Duration retention();
    }

    interface ChangeSets {
        /** A change set not used for this long expires: its staged changes are discarded and its id answers 404. */
        @WithDefault("24h")
        Duration idleTimeout();
    }

    interface Webhooks {
        /**
         * Key that encrypts webhook secrets and tokens at rest: base64 of 32 random bytes
         * ({@code DATALINE_WEBHOOK_ENCRYPTION_KEY}). Unset = webhooks with a secret or token are refused.
         */
        Optional<String> encryptionKey();

        /** Whether webhooks may call loopback addresses (the local stack sets it; never in a cluster). */
        @WithDefault("false")
        boolean allowLoopback();

        /** Host names, IP addresses or CIDR ranges webhooks may call although they are private or link-local. */
        Optional<List<String>> allowedHosts();

        /** How many deliveries are sent at once (each endpoint still gets its deliveries one at a time, in order). */
        @WithDefault("4")
        int workers();

        /** How long one attempt may take (connect + response) before it counts as a timeout. */
        @WithDefault("10s")
        Duration timeout();

        /** Attempts per delivery, the first included; a 4xx answer ends a delivery at once. */
        @WithDefault("8")
        int maxAttempts();

        /** Wait before the second attempt; doubles with each further attempt up to {@link #maxBackoff()}. */
        @WithDefault("2s")
        Duration backoff();

        @WithDefault("1h")
        Duration maxBackoff();

        /** How often the senders look for due deliveries when nothing wakes them. */
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Links {
        /** validation-service: its reports are read (with the admin key) only from here. */
        @WithDefault("http://127.0.0.1:8081")
        String validationService();

        @WithDefault("http://127.0.0.1:8082")
        String trainingOrchestrator();

        @WithDefault("http://127.0.0.1:8083")
        String deployService();
    }

    interface Records {
        /** Largest JSON-array body of a record upload; NDJSON bodies are limited by {@link #maxUploadBytes()}. */
        @WithDefault("67108864")
        long maxBodyBytes();

        /** Largest NDJSON upload (staging or one-shot commit); 413 beyond. */
        @WithDefault("17179869184")
        long maxUploadBytes();

        /**
         * Where an upload's checked records wait, outside the database, until its short write transaction: a directory
         * for temporary files (default: {@code java.io.tmpdir}/dataline-uploads). Deleted when the request ends.
         */
        Optional<String> spoolDir();

        /** Records of one upload held in memory (sorted runs beyond go to the spool directory). */
        @WithDefault("33554432")
        long spoolMemoryBytes();

        /**
         * Keys of one upload checked for duplicates while it arrives (8 to 16 bytes each), so a duplicate is listed with
         * the upload's other problems; past them duplicates are found when the spool is sorted.
         */
        @WithDefault("1048576")
        int duplicateCheckKeys();

        /** Largest single record (its canonical JSON). */
        @WithDefault("1048576")
        int maxRecordBytes();

        /** How many errors a 422 lists at most (the total is always given). */
        @WithDefault("100")
        int maxErrors();

        /**
         * Once this many staged changes have been discarded (committed, discarded by request or expiry, or undone by a later
         * upload) since the last time, the service vacuums the staging table itself instead of leaving the dead rows to
         * autovacuum; 0 = never.
         */
        @WithDefault("10000")
        long stagingVacuumAfter();
    }
}
