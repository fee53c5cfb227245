package io.dataline.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.models.TrainingSpec;
import io.dataline.service.DatasetServiceClient;
import io.dataline.service.rest.ProblemException;
import io.dataline.training.ModelVersion;
import io.dataline.training.config.TrainingConfig;
import io.dataline.training.trainer.RunLog;
import io.dataline.training.trainer.TrainingFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Measures two versions of a model on the held-out records of the first (its data version, split with its spec), both
 * by Dataline ({@link ModelMeasurement}): what deploy-service asks for when staging moved after a candidate was
 * evaluated. A version that cannot be measured here (a Kubernetes-trained model outside a run, a template that is
 * gone) is a 409 naming why; deploy-service then fails the gates that compare.
 */
@ApplicationScoped
public class CompareService {

    @Inject
    DatasetServiceClient datasets;

    @Inject
    ModelMeasurement measurement;

    @Inject
    ObjectMapper mapper;

    @Inject
    TrainingConfig config;

    public JsonNode compare(ModelVersion candidate, ModelVersion against) throws InterruptedException {
        TrainingSpec spec;
        try {
            spec = TrainingSpec.parse(mapper.readTree(candidate.specJson));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        UUID id = UUID.randomUUID();
        Path directory = Path.of(config.runs().workDir()).toAbsolutePath().resolve("compare-" + id);
        try (RunLog log = new RunLog(directory.resolve("compare.log"))) {
            VersionData data = VersionData.load(datasets, candidate.datasetSlug, candidate.dataVersion, spec, directory.resolve("data"));
            ModelMeasurement.Where where = new ModelMeasurement.Where(id, 0, directory, null, null, null, log);
            ModelMeasurement.Measured first = measure(candidate, data, spec, "compare-candidate", where);
            ModelMeasurement.Measured second = measure(against, data, spec, "compare-against", where);
            ObjectNode body = mapper.createObjectNode();
            body.put("model", candidate.model);
            body.put("version", candidate.version);
            body.put("against", against.version);
            body.put("dataVersion", candidate.dataVersion);
            body.put("heldOutRecords", data.labelledHeldOut());
            body.set("metrics", first.metrics().toJson());
            body.set("againstMetrics", second.metrics().toJson());
            return body;
        } finally {
            ModelMeasurement.deleteTree(directory);
        }
    }

    private ModelMeasurement.Measured measure(ModelVersion version, VersionData data, TrainingSpec spec, String role, ModelMeasurement.Where where)
            throws InterruptedException {
        try {
            return measurement.version(version, data, spec.labelField(), role, where);
        } catch (TrainingFailedException e) {
            throw new ProblemException(409, version.model + " v" + version.version + " (trained by the " + version.trainer
                    + " trainer) cannot be measured here: " + e.getMessage());
        }
    }
}
