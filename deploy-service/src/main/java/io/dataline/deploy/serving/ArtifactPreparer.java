package io.dataline.deploy.serving;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.deploy.service.ArtifactTooLargeException;
import io.dataline.deploy.service.RegistryClient;
import io.dataline.models.BuiltinModel;
import io.dataline.models.InvalidArtifactException;
import io.dataline.models.ModelPrediction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gets a version ready for the stage: downloads its artifact from the registry, checks the SHA-256 the registration
 * announced, and for built-in models loads it and runs the smoke check: every record of the registry's held-out sample
 * must get the label the model predicted for it at evaluation (the sample is read while the artifact downloads). Any
 * failure refuses the promotion. The artifact's format decides how it is fetched and checked: the one
 * {@code model.registered} announced (the same event that names the artifact and its SHA-256), else the registry's
 * version view is asked for it.
 */
@ApplicationScoped
public class ArtifactPreparer {

    @Inject
    RegistryClient registry;

    @Inject
    io.dataline.deploy.config.DeployConfig config;

    public Prepared prepare(String model, int version, String dataVersion, String artifactUri, String expectedSha256, String announcedFormat,
            boolean smokeCheck) throws PromotionRefusedException {
        if (!registry.onRegistry(artifactUri)) {
            // This service's key goes with the download: never to a host an event names but the registry is not.
            throw new PromotionRefusedException("the artifact URI " + artifactUri + " is not on the model registry (DATALINE_TRAINING_ORCHESTRATOR_URL)");
        }
        // the held-out sample is read while the version and its artifact are: one round trip less before the move
        java.util.concurrent.CompletableFuture<JsonNode> sample = smokeCheck
                ? java.util.concurrent.CompletableFuture.supplyAsync(() -> registry.sample(model, version), SAMPLE_READS)
                : null;
        String format = announcedFormat != null ? announcedFormat : registry.version(model, version).path("artifact").path("format").asText("external");
        boolean builtin = BuiltinModel.FORMAT.equals(format);
        // streamed with its checksum computed on the way: an external artifact is only verified (the cluster loads it),
        // a built-in one goes to a temporary file and is loaded from there, never held as a byte array
        long limit = builtin ? config.maxBuiltinArtifactBytes() : config.maxArtifactBytes();
        java.nio.file.Path file = null;
        try {
            String actual;
            if (builtin) {
                file = java.nio.file.Files.createTempFile("dataline-artifact-", ".bin");
                try (java.io.OutputStream out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file), 1 << 16)) {
                    actual = registry.download(artifactUri, out, limit);
                }
            } else {
                actual = registry.download(artifactUri, java.io.OutputStream.nullOutputStream(), limit);
            }
            if (!actual.equals(expectedSha256)) {
                throw new PromotionRefusedException("artifact SHA-256 mismatch: registered " + expectedSha256 + ", downloaded " + actual);
            }
            if (!builtin) {
                return new Prepared(model, version, dataVersion, format, artifactUri, expectedSha256, Optional.empty());
            }
            BuiltinModel loaded;
            try (java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16)) {
                loaded = BuiltinModel.read(in);
            } catch (InvalidArtifactException e) {
                throw new PromotionRefusedException("the artifact cannot be loaded: " + e.getMessage(), e);
            }
            if (smokeCheck) {
                smokeCheck(loaded, awaited(sample));
            }
            return new Prepared(model, version, dataVersion, format, artifactUri, expectedSha256, Optional.of(loaded));
        } catch (ArtifactTooLargeException e) {
            throw new PromotionRefusedException(e.getMessage() + (builtin ? " (dataline.max-builtin-artifact-bytes: a built-in model is loaded into memory)"
                    : " (dataline.max-artifact-bytes)"), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot keep the artifact on local disk: " + e.getMessage(), e);
        } finally {
            if (file != null) {
                try {
                    java.nio.file.Files.deleteIfExists(file);
                } catch (java.io.IOException ignored) {
                    // a temporary file; the OS cleans it up
                }
            }
        }
    }

    /** Reads the samples ahead; daemon threads, as many as promotions under way (one per model at most). */
    private static final java.util.concurrent.ExecutorService SAMPLE_READS = java.util.concurrent.Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "deploy-sample-read");
        thread.setDaemon(true);
        return thread;
    });

    /** The sample read ahead, or the failure it met, as {@link RegistryClient#sample} would have thrown it. */
    private static JsonNode awaited(java.util.concurrent.CompletableFuture<JsonNode> sample) {
        try {
            return sample.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
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
