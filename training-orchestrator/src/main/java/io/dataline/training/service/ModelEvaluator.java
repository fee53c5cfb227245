package io.dataline.training.service;

import io.dataline.models.BuiltinModel;
import io.dataline.models.InvalidArtifactException;
import io.dataline.training.ModelVersion;
import io.dataline.training.artifact.ArtifactStore;
import io.dataline.training.config.TrainingConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.FilterInputStream;
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

    /** Models loaded lately, by artifact path (see {@link LoadedModels}); a loaded model is immutable, so runs share it. */
    private LoadedModels<BuiltinModel> loaded;

    @PostConstruct
    void init() {
        loaded = new LoadedModels<>(config.runs().loadedModelsBytes());
    }

    /**
     * Keeps a model just registered under its stored artifact's path, as if {@link #load} had read it: the model a run
     * trained in this JVM is the one its artifact was written from (weights and idf round-trip exactly, which
     * deploy-service's smoke check relies on too), and once promoted it is the baseline the next run measures.
     */
    public void remember(String artifactPath, BuiltinModel model, long artifactBytes) {
        loaded.put(artifactPath, model, artifactBytes);
    }

    public Optional<BuiltinModel> load(ModelVersion version) {
        if (!BuiltinModel.FORMAT.equals(version.artifactFormat)) {
            return Optional.empty();
        }
        BuiltinModel held = loaded.get(version.artifactPath);
        if (held != null) {
            return Optional.of(held);
        }
        try (CountingInputStream in = new CountingInputStream(artifacts.open(version.artifactPath))) {
            BuiltinModel model = BuiltinModel.read(in);
            loaded.put(version.artifactPath, model, in.count);
            return Optional.of(model);
        } catch (IOException e) {
            throw new IllegalStateException("artifact of " + version.model + " v" + version.version + " cannot be read: " + e.getMessage(), e);
        } catch (InvalidArtifactException e) {
            throw new IllegalStateException("artifact of " + version.model + " v" + version.version + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Counts the bytes read through it: the artifact's size, the cache's measure of a model. */
    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
