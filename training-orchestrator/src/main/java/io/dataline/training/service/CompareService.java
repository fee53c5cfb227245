package io.dataline.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.models.Evaluation;
import io.dataline.models.TrainingSpec;
import io.dataline.service.DatasetServiceClient;
import io.dataline.service.rest.ProblemException;
import io.dataline.training.ModelVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Evaluates two versions of a model on the held-out records of the first (its data version, split with its spec):
 * what deploy-service asks for when staging moved after a candidate was evaluated.
 */
@ApplicationScoped
public class CompareService {

    @Inject
    DatasetServiceClient datasets;

    @Inject
    ModelEvaluator evaluator;

    @Inject
    ObjectMapper mapper;

    @Inject
    io.dataline.training.config.TrainingConfig config;

    public JsonNode compare(ModelVersion candidate, ModelVersion against) {
        TrainingSpec spec;
        try {
            spec = TrainingSpec.parse(mapper.readTree(candidate.specJson));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        java.nio.file.Path directory;
        try {
            directory = java.nio.file.Files.createTempDirectory("dataline-compare-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        VersionData data = VersionData.load(datasets, candidate.datasetSlug, candidate.dataVersion, spec, directory);
        java.util.List<JsonNode> heldOut;
        try {
            heldOut = data.heldOut(config.runs().maxRecordsInMemory());
        } catch (io.dataline.training.trainer.TrainingFailedException e) {
            throw new ProblemException(413, e.getMessage());
        } finally {
            data.delete();
            directory.toFile().delete();
        }
        Evaluation first = evaluator.evaluate(candidate, heldOut, spec.labelField()).orElseThrow(() -> notLoadable(candidate));
        Optional<Evaluation> second = evaluator.evaluate(against, heldOut, spec.labelField());
        ObjectNode body = mapper.createObjectNode();
        body.put("model", candidate.model);
        body.put("version", candidate.version);
        body.put("against", against.version);
        body.put("dataVersion", candidate.dataVersion);
        body.put("heldOutRecords", first.records().size());
        body.set("metrics", first.metrics().toJson());
        body.set("againstMetrics", second.orElseThrow(() -> notLoadable(against)).metrics().toJson());
        return body;
    }

    private static RuntimeException notLoadable(ModelVersion version) {
        return new ProblemException(409, version.model + " v" + version.version + " was trained by the " + version.trainer
                + " trainer; only built-in models can be evaluated again here");
    }
}
