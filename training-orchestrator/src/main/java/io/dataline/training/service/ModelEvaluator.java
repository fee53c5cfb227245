package io.dataline.training.service;

import io.dataline.models.BuiltinModel;
import io.dataline.models.InvalidArtifactException;
import io.dataline.training.ModelVersion;
import io.dataline.training.artifact.ArtifactStore;
import io.dataline.training.config.TrainingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Loads registered model versions this JVM can run (built-in): to measure them in process ({@link ModelMeasurement})
 * and to serve their predictions. For any other format {@link #load} is empty.
 */
@ApplicationScoped
public class ModelEvaluator {

    @Inject
    ArtifactStore artifacts;

    @Inject
    TrainingConfig config;

    /**
     * Models loaded lately, by artifact path, least recently used first: a registered artifact never changes, and the
     * staged model is measured again on every candidate's held-out records, so it is read and parsed once instead of
     * per run. Bounded by heap ({@code dataline.runs.loaded-models-bytes}), not by count: every model in use stays
     * loaded, however many datasets train at once (a count of four re-read the baseline of every run once five models
     * trained in turn), and a few huge models cannot fill the heap. A loaded model is immutable, so runs share it.
     */
    private final java.util.LinkedHashMap<String, Held> loaded = new java.util.LinkedHashMap<>(16, 0.75f, true);
    private long loadedBytes;

    private record Held(BuiltinModel model, long bytes) {
    }

    /**
     * Keeps a model just registered under its stored artifact's path, as if {@link #load} had read it: the model a run
     * trained in this JVM is the one its artifact was written from (weights and idf round-trip exactly, which
     * deploy-service's smoke check relies on too), and once promoted it is the baseline the next run measures. {@link #load}
     * keeps what it reads the same way; both stay within the budget.
     */
    public void remember(String artifactPath, BuiltinModel model) {
        long budget = config.runs().loadedModelsBytes();
        long bytes = model.approximateHeapBytes();
        synchronized (loaded) {
            Held previous = loaded.remove(artifactPath);
            if (previous != null) {
                loadedBytes -= previous.bytes();
            }
            if (bytes > budget) {
                return; // read again each time rather than evict every other model for it
            }
            loaded.put(artifactPath, new Held(model, bytes));
            loadedBytes += bytes;
            var eldest = loaded.entrySet().iterator();
            while (loadedBytes > budget && eldest.hasNext()) {
                var entry = eldest.next();
                loadedBytes -= entry.getValue().bytes();
                eldest.remove();
            }
        }
    }

    /** The models held now, least recently used first (for tests and diagnostics). */
    java.util.List<String> held() {
        synchronized (loaded) {
            return java.util.List.copyOf(loaded.keySet());
        }
    }

    public Optional<BuiltinModel> load(ModelVersion version) {
        if (!BuiltinModel.FORMAT.equals(version.artifactFormat)) {
            return Optional.empty();
        }
        synchronized (loaded) {
            Held held = loaded.get(version.artifactPath);
            if (held != null) {
                return Optional.of(held.model());
            }
        }
        try (InputStream in = artifacts.open(version.artifactPath)) {
            BuiltinModel model = BuiltinModel.read(in);
            remember(version.artifactPath, model);
            return Optional.of(model);
        } catch (IOException e) {
            throw new IllegalStateException("artifact of " + version.model + " v" + version.version + " cannot be read: " + e.getMessage(), e);
        } catch (InvalidArtifactException e) {
            throw new IllegalStateException("artifact of " + version.model + " v" + version.version + " is damaged: " + e.getMessage(), e);
        }
    }
}
