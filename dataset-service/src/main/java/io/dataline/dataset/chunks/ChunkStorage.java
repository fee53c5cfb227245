package io.dataline.dataset.chunks;

import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.service.rest.ProblemException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The chunk back-ends of this service: the database always, object storage when a bucket is configured, and which of
 * them new chunks go to ({@code dataline.chunks.backend}). A wrong setting stops the service at start.
 */
@ApplicationScoped
public class ChunkStorage {

    private final DatabaseChunks database = new DatabaseChunks();
    private final S3Chunks objects;
    private final ChunkBackend writer;

    ChunkStorage(DatasetServiceConfig config) {
        DatasetServiceConfig.Chunks chunks = config.chunks();
        objects = chunks.s3().bucket().map(bucket -> s3(chunks.s3(), bucket)).orElse(null);
        writer = switch (chunks.backend().trim().toLowerCase(java.util.Locale.ROOT)) {
            case DatabaseChunks.NAME -> database;
            case S3Chunks.NAME -> {
                if (objects == null) {
                    throw new IllegalArgumentException("DATALINE_CHUNKS=s3 needs a bucket: set DATALINE_CHUNKS_S3_BUCKET");
                }
                yield objects;
            }
            default -> throw new IllegalArgumentException("DATALINE_CHUNKS (dataline.chunks.backend) is \"" + chunks.backend()
                    + "\"; use postgres or s3");
        };
    }

    /** Settings are checked when the service starts, not at the first commit. */
    void check(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
        writer();
    }

    /** Where new chunks go. */
    public ChunkBackend writer() {
        return writer;
    }

    /** The back-end with this name; 409 for s3 without a bucket, 400 for a name that is neither. */
    public ChunkBackend backend(String name) {
        return switch (name == null ? "" : name) {
            case DatabaseChunks.NAME -> database;
            case S3Chunks.NAME -> objects();
            default -> throw new ProblemException(400, "chunk back-end \"" + name + "\" does not exist; use postgres or s3");
        };
    }

    /** Object storage, which holds every chunk whose row has no bytes; 409 when no bucket is configured. */
    public S3Chunks objects() {
        if (objects == null) {
            throw ProblemException.conflict("object storage is not configured: set DATALINE_CHUNKS_S3_BUCKET (and an endpoint "
                    + "for MinIO or Ceph: DATALINE_CHUNKS_S3_ENDPOINT)");
        }
        return objects;
    }

    /** Object storage to read chunks whose rows have no bytes; 503 when no bucket is configured (a setting is missing). */
    public S3Chunks objectsToRead() {
        if (objects == null) {
            throw new ProblemException(503, "Object storage unavailable", "chunks of this version are in object storage, which is "
                    + "not configured here: set DATALINE_CHUNKS_S3_BUCKET (and DATALINE_CHUNKS_S3_ENDPOINT for MinIO or Ceph)");
        }
        return objects;
    }

    public Optional<S3Chunks> objectsIfConfigured() {
        return Optional.ofNullable(objects);
    }

    private static S3Chunks s3(DatasetServiceConfig.Chunks.S3 settings, String bucket) {
        int parallelism = Math.max(1, settings.parallelism());
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(Apache5HttpClient.builder().maxConnections(2 * parallelism))
                .serviceConfiguration(S3Configuration.builder()
                        // the whole body is signed (never aws-chunked), which every S3-compatible server understands
                        .chunkedEncodingEnabled(false)
                        .pathStyleAccessEnabled(settings.pathStyle().orElse(settings.endpoint().isPresent()))
                        .build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.apiCallTimeout(settings.timeout()))
                .region(settings.region().map(Region::of).orElseGet(ChunkStorage::defaultRegion));
        settings.endpoint().ifPresent(builder::endpointOverride);
        AtomicInteger threads = new AtomicInteger();
        return new S3Chunks(builder.build(), bucket, settings.prefix(), Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "chunks-s3-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }));
    }

    private static Region defaultRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException e) {
            return Region.US_EAST_1;
        }
    }

    @PreDestroy
    void close() {
        if (objects != null) {
            objects.close();
        }
    }
}
