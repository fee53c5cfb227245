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

    public Optional<BuiltinModel> load(ModelVersion version) {
        if (!BuiltinModel.FORMAT.equals(version.artifactFormat)) {
            return Optional.empty();
        }
        try (InputStream in = artifacts.open(version.artifactPath)) {
            return Optional.of(BuiltinModel.read(in));
        } catch (IOException e) {
            throw new IllegalStateException("artifact of " + version.model + " v" + version.version + " cannot be read: " + e.getMessage(), e);
        } catch (InvalidArtifactException e) {
            throw new IllegalStateException("artifact of " + version.model + " v" + version.version + " is damaged: " + e.getMessage(), e);
        }
    }
}
