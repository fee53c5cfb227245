package io.dataline.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.models.BuiltinModel;
import io.dataline.models.Evaluation;
import io.dataline.models.InvalidArtifactException;
import io.dataline.training.ModelVersion;
import io.dataline.training.artifact.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates registered model versions on given held-out records: the staged baseline for a new candidate, and both
 * sides of {@code POST /models/{name}/versions/{n}/compare}. Only models this JVM can load (built-in) can be evaluated
 * again; for others {@link #evaluate} is empty and the caller says so.
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

    public Optional<Evaluation> evaluate(ModelVersion version, List<JsonNode> heldOut, String labelField) {
        return load(version).map(model -> Evaluation.of(model, heldOut, labelField));
    }
}
