package io.dataline.training.service;

import io.dataline.models.BuiltinModel;
import io.dataline.models.InvalidArtifactException;
import io.dataline.training.ModelVersion;
import io.dataline.training.artifact.ArtifactStore;
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

    /**
     * Models loaded lately, by artifact path: a registered artifact never changes, and the staged model is measured
     * again on every candidate's held-out records, so it is read and parsed once instead of per run. A loaded model
     * is immutable, so runs share it.
     */
    private static final int LOADED = 4;
    private final java.util.Map<String, BuiltinModel> loaded = new java.util.LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, BuiltinModel> eldest) {
            return size() > LOADED;
        }
    };

    /**
     * Keeps a model just registered under its stored artifact's path, as if {@link #load} had read it: the model a run
     * trained in this JVM is the one its artifact was written from (weights and idf round-trip exactly, which
     * deploy-service's smoke check relies on too), and once promoted it is the baseline the next run measures.
     */
    public void remember(String artifactPath, BuiltinModel model) {
        synchronized (loaded) {
            loaded.put(artifactPath, model);
        }
    }

    public Optional<BuiltinModel> load(ModelVersion version) {
        if (!BuiltinModel.FORMAT.equals(version.artifactFormat)) {
            return Optional.empty();
        }
        synchronized (loaded) {
            BuiltinModel held = loaded.get(version.artifactPath);
            if (held != null) {
                return Optional.of(held);
            }
        }
        try (InputStream in = artifacts.open(version.artifactPath)) {
            BuiltinModel model = BuiltinModel.read(in);
            synchronized (loaded) {
                loaded.put(version.artifactPath, model);
            }
            return Optional.of(model);
        } catch (IOException e) {
            throw new IllegalStateException("artifact of " + version.model + " v" + version.version + " cannot be read: " + e.getMessage(), e);
        } catch (InvalidArtifactException e) {
            throw new IllegalStateException("artifact of " + version.model + " v" + version.version + " is damaged: " + e.getMessage(), e);
        }
    }
}
