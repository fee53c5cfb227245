package io.dataline.deploy.serving;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.deploy.service.ArtifactTooLargeException;
import io.dataline.deploy.service.RegistryClient;
import io.dataline.deploy.service.RegistryUnavailableException;
import io.dataline.models.BuiltinModel;
import io.dataline.models.InvalidArtifactException;
import io.dataline.models.ModelPrediction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * Gets a version ready for the stage: downloads its artifact from the registry, checks the SHA-256 the registration
 * announced, and for built-in models loads it and runs the smoke check: every record of the registry's held-out sample
 * must get the label the model predicted for it at evaluation (the sample is read while the artifact downloads). Any
 * failure refuses the promotion. A promotion starts the reads as its event arrives ({@link #ahead}) and finishes when
 * it has decided ({@link #prepare(Fetch, String, String)}). The artifact's format decides how it is fetched and
 * checked: the one {@code model.registered} announced (the same event that names the artifact and its SHA-256), else
 * the registry's version view is asked for it.
 */
@ApplicationScoped
public class ArtifactPreparer {

    @Inject
    RegistryClient registry;

    @Inject
    io.dataline.deploy.config.DeployConfig config;

    /** Reads ahead under way at most (each an artifact and a sample). */
    static final int AHEAD = 2;
    private final Semaphore aheadSlots = new Semaphore(AHEAD);

    public Prepared prepare(String model, int version, String dataVersion, String artifactUri, String expectedSha256, String announcedFormat,
            boolean smokeCheck) throws PromotionRefusedException {
        try (Fetch fetch = fetch(model, version, artifactUri, announcedFormat, smokeCheck)) {
            return prepare(fetch, dataVersion, expectedSha256);
        }
    }

    /**
     * Starts reading a version's artifact (into a temporary file for a built-in model, through its checksum only for
     * another format) and, with {@code smokeCheck}, its held-out sample, each on a thread of its own: a promotion starts
     * them as its event arrives, so they come over the network while it takes its lock and reads its rows.
     * {@link #prepare(Fetch, String, String)} finishes the job; closing a fetch that was not used discards what it read.
     */
    public Fetch fetch(String model, int version, String artifactUri, String announcedFormat, boolean smokeCheck) throws PromotionRefusedException {
        if (!registry.onRegistry(artifactUri)) {
            // This service's key goes with the download: never to a host an event names but the registry is not.
            throw new PromotionRefusedException("the artifact URI " + artifactUri + " is not on the model registry (DATALINE_TRAINING_ORCHESTRATOR_URL)");
        }
        CompletableFuture<JsonNode> sample = smokeCheck ? CompletableFuture.supplyAsync(() -> registry.sample(model, version), READS) : null;
        String format = announcedFormat != null ? announcedFormat : registry.version(model, version).path("artifact").path("format").asText("external");
        boolean builtin = BuiltinModel.FORMAT.equals(format);
        // streamed with its checksum computed on the way: an external artifact is only verified (the cluster loads it),
        // a built-in one goes to a temporary file and is loaded from there, never held as a byte array
        long limit = builtin ? config.maxBuiltinArtifactBytes() : config.maxArtifactBytes();
        CompletableFuture<Downloaded> artifact = CompletableFuture.supplyAsync(() -> download(artifactUri, builtin, limit), READS);
        return new Fetch(model, version, artifactUri, format, smokeCheck, artifact, sample);
    }

    /**
     * A built-in model's artifact and sample read ahead for a promotion that may follow; {@code null} (the promotion
     * reads them itself, if it gets there) for another format, which may be large and is read only once a promotion is
     * decided, for a URI off the registry, which {@link #fetch} refuses, and while {@value #AHEAD} reads ahead are still
     * under way: a burst of redelivered events (each decided already) does not turn into a burst of downloads.
     */
    public Fetch ahead(String model, int version, String artifactUri, String announcedFormat) {
        if (!BuiltinModel.FORMAT.equals(announcedFormat) || !registry.onRegistry(artifactUri) || !aheadSlots.tryAcquire()) {
            return null;
        }
        Fetch fetch;
        try {
            fetch = fetch(model, version, artifactUri, announcedFormat, true);
        } catch (PromotionRefusedException | RuntimeException e) {
            aheadSlots.release();
            return null; // the promotion meets the same failure when it reads for itself
        }
        CompletableFuture.allOf(fetch.artifact, fetch.sample).whenComplete((done, failure) -> aheadSlots.release());
        return fetch;
    }

    /**
     * Gets the fetched version ready: checks the artifact's SHA-256 against {@code expectedSha256}, and for a built-in
     * model loads it and, if the fetch read the sample, runs the smoke check. The fetch's temporary file is gone after.
     */
    public Prepared prepare(Fetch fetch, String dataVersion, String expectedSha256) throws PromotionRefusedException {
        boolean builtin = BuiltinModel.FORMAT.equals(fetch.format);
        Downloaded downloaded;
        try {
            downloaded = awaited(fetch.artifact);
        } catch (ArtifactTooLargeException e) {
            throw new PromotionRefusedException(e.getMessage() + (builtin ? " (dataline.max-builtin-artifact-bytes: a built-in model is loaded into memory)"
                    : " (dataline.max-artifact-bytes)"), e);
        }
        if (!downloaded.sha256().equals(expectedSha256)) {
            throw new PromotionRefusedException("artifact SHA-256 mismatch: registered " + expectedSha256 + ", downloaded " + downloaded.sha256());
        }
        if (!builtin) {
            return new Prepared(fetch.model, fetch.version, dataVersion, fetch.format, fetch.artifactUri, expectedSha256, Optional.empty());
        }
        BuiltinModel loaded;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(downloaded.file()), 1 << 16)) {
            loaded = BuiltinModel.read(in);
        } catch (InvalidArtifactException e) {
            throw new PromotionRefusedException("the artifact cannot be loaded: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the artifact back from local disk: " + e.getMessage(), e);
        }
        if (fetch.sample != null) {
            smokeCheck(loaded, awaited(fetch.sample));
        }
        return new Prepared(fetch.model, fetch.version, dataVersion, fetch.format, fetch.artifactUri, expectedSha256, Optional.of(loaded));
    }

    /** An artifact read: its SHA-256 and, for a built-in model, the temporary file holding it. */
    private record Downloaded(String sha256, Path file) {
    }

    private Downloaded download(String artifactUri, boolean builtin, long limit) {
        if (!builtin) {
            return new Downloaded(registry.download(artifactUri, OutputStream.nullOutputStream(), limit), null);
        }
        Path file = null;
        try {
            file = Files.createTempFile("dataline-artifact-", ".bin");
            String sha256;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                sha256 = registry.download(artifactUri, out, limit);
            }
            return new Downloaded(sha256, file);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(file);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot keep the artifact on local disk: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /** A version's artifact and sample on their way ({@link #fetch}); closing it deletes the artifact's temporary file. */
    public static final class Fetch implements AutoCloseable {
        private final String model;
        private final int version;
        private final String artifactUri;
        private final String format;
        private final boolean smokeCheck;
        private final CompletableFuture<Downloaded> artifact;
        private final CompletableFuture<JsonNode> sample;

        private Fetch(String model, int version, String artifactUri, String format, boolean smokeCheck, CompletableFuture<Downloaded> artifact,
                CompletableFuture<JsonNode> sample) {
            this.model = model;
            this.version = version;
            this.artifactUri = artifactUri;
            this.format = format;
            this.smokeCheck = smokeCheck;
            this.artifact = artifact;
            this.sample = sample;
        }

        /** Whether this fetch reads what preparing this version needs. */
        public boolean reads(String model, int version, String artifactUri, String announcedFormat, boolean smokeCheck) {
            return this.model.equals(model) && this.version == version && this.artifactUri.equals(artifactUri)
                    && (announcedFormat == null || announcedFormat.equals(format)) && this.smokeCheck == smokeCheck;
        }

        /** Deletes the artifact's temporary file, now or, if it is still downloading, when it is done. */
        @Override
        public void close() {
            artifact.whenComplete((downloaded, failure) -> {
                if (downloaded != null) {
                    deleteQuietly(downloaded.file());
                }
            });
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans it up
            }
        }
    }

    /** Reads artifacts and samples ahead; daemon threads, two for each promotion under way (one per model at most). */
    private static final ExecutorService READS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "deploy-artifact-read");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * What was read ahead, or the failure it met, as the read would have thrown it on this thread; an interrupt (the
     * service stopping) ends the wait as the registry being away, so the event is left for redelivery.
     */
    private static <T> T awaited(CompletableFuture<T> read) {
        try {
            return read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while reading from the model registry", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    static void smokeCheck(BuiltinModel model, JsonNode sample) throws PromotionRefusedException {
        List<String> differences = new ArrayList<>();
        int checked = 0;
        for (JsonNode entry : sample.path("records")) {
            if (!entry.path("predicted").isTextual()) {
                continue;
            }
            checked++;
            ModelPrediction prediction = model.predict(entry.path("record"));
            if (!prediction.label().equals(entry.path("predicted").asText())) {
                differences.add("record " + entry.path("record") + " → " + prediction.label() + ", at evaluation " + entry.path("predicted").asText());
            }
        }
        if (checked == 0) {
            throw new PromotionRefusedException("smoke check failed: the registry has no held-out sample with predictions for this version");
        }
        if (!differences.isEmpty()) {
            throw new PromotionRefusedException("smoke check failed: " + differences.size() + " of " + checked
                    + " held-out sample records predicted differently than at evaluation; first: " + differences.get(0));
        }
    }
}
