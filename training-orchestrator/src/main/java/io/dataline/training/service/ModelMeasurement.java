package io.dataline.training.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.models.BuiltinModel;
import io.dataline.models.Evaluation;
import io.dataline.models.InvalidSpecException;
import io.dataline.models.Labels;
import io.dataline.models.Metrics;
import io.dataline.models.ModelPrediction;
import io.dataline.models.TrainingSpec;
import io.dataline.training.ModelVersion;
import io.dataline.training.artifact.ArtifactStore;
import io.dataline.training.config.TrainingConfig;
import io.dataline.training.trainer.PredictJob;
import io.dataline.training.trainer.Predictions;
import io.dataline.training.trainer.RunLog;
import io.dataline.training.trainer.Trainer;
import io.dataline.training.trainer.TrainerOutput;
import io.dataline.training.trainer.TrainingFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Dataline's own measurement of a model on a version's labelled held-out records: every metric a gate reads is
 * computed here, from predictions, never taken from a trainer. A model this JVM loads (built-in) predicts in process;
 * any other is run through its back-end's predict entry point ({@link Trainer#predict}) on the records with the label
 * field removed, and its answers ({@link Predictions}) are scored against the labels it never saw.
 */
@ApplicationScoped
public class ModelMeasurement {

    /** Metrics with a sample of the held-out records and what the model predicted for them. */
    record Measured(Metrics metrics, ArrayNode sample) {
    }

    /** Where a measurement runs: within a run attempt (with its token, for remote back-ends) or for a comparison. */
    record Where(UUID runId, int attempt, Path runDir, String inputsUrl, String uploadUrl, String token, RunLog log) {
    }

    @Inject
    Trainers trainers;

    @Inject
    ModelEvaluator evaluator;

    @Inject
    ArtifactStore artifacts;

    @Inject
    TrainingConfig config;

    @Inject
    ObjectMapper mapper;

    /** A freshly trained model: in this JVM when the back-end handed one over, else through its predict step. */
    Measured candidate(Trainer trainer, TrainingSpec spec, TrainerOutput output, VersionData data, Where where)
            throws TrainingFailedException, InterruptedException {
        if (output.model().isPresent()) {
            return inJvm(output.model().get(), data, spec.labelField());
        }
        return external(trainer, spec, output.artifact(), data, spec.labelField(), "candidate", where);
    }

    /**
     * A registered version on {@code data}'s held-out records, labelled by {@code labelField}; throws when it cannot
     * be measured (its back-end or template is gone, its predict step fails), with the reason.
     */
    Measured version(ModelVersion version, VersionData data, String labelField, String role, Where where)
            throws TrainingFailedException, InterruptedException {
        java.util.Optional<BuiltinModel> loaded;
        try {
            loaded = evaluator.load(version);
        } catch (IllegalStateException e) { // its artifact is unreadable or damaged
            throw new TrainingFailedException(e.getMessage(), e);
        }
        if (loaded.isPresent()) {
            return inJvm(loaded.get(), data, labelField);
        }
        TrainingSpec spec;
        Trainer trainer;
        try {
            spec = TrainingSpec.parse(mapper.readTree(version.specJson));
            trainer = trainers.named(version.trainer).orElseThrow(() -> new TrainingFailedException("its trainer \"" + version.trainer
                    + "\" is not available here"));
            trainer.check(spec);
        } catch (IOException e) {
            throw new TrainingFailedException("its stored spec is unreadable: " + e.getMessage(), e);
        } catch (InvalidSpecException e) {
            throw new TrainingFailedException("its spec cannot run here any more: " + String.join("; ", e.problems()), e);
        }
        Path model = where.runDir().resolve("model-" + role).resolve(Path.of(version.artifactPath).getFileName());
        try (InputStream in = artifacts.open(version.artifactPath)) {
            Files.createDirectories(model.getParent());
            Files.copy(in, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TrainingFailedException("its artifact cannot be read: " + e.getMessage(), e);
        }
        try {
            return external(trainer, spec, model, data, labelField, role, where);
        } finally {
            deleteTree(model.getParent());
        }
    }

    private Measured inJvm(BuiltinModel model, VersionData data, String labelField) throws TrainingFailedException {
        Evaluation evaluation = Evaluation.of(model, data.heldOut(config.runs().maxRecordsInMemory()), labelField);
        ArrayNode sample = mapper.createArrayNode();
        for (int i = 0; i < evaluation.records().size() && i < config.runs().sampleSize(); i++) {
            addSample(sample, evaluation.records().get(i), evaluation.truth().get(i), evaluation.predictions().get(i));
        }
        return new Measured(evaluation.metrics(), sample);
    }

    private Measured external(Trainer trainer, TrainingSpec spec, Path model, VersionData data, String labelField, String role, Where where)
            throws TrainingFailedException, InterruptedException {
        Path dir = where.runDir().resolve("measure-" + role);
        Path input = dir.resolve("input.ndjson");
        List<String> truth = new ArrayList<>();
        List<JsonNode> sampled = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            try (BufferedWriter out = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
                data.forEachHeldOut(record -> {
                    String label = Labels.of(record, labelField);
                    if (label == null) {
                        return;
                    }
                    truth.add(label);
                    if (sampled.size() < config.runs().sampleSize()) {
                        sampled.add(record);
                    }
                    ObjectNode unlabelled = ((ObjectNode) record).deepCopy();
                    unlabelled.remove(labelField);
                    try {
                        out.write(mapper.writeValueAsString(unlabelled));
                        out.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } catch (IOException | UncheckedIOException e) {
            throw new TrainingFailedException("writing the records to predict failed: " + e.getMessage(), e);
        }
        try {
            where.log().line("measuring the " + role + " on " + truth.size() + " held-out records without their labels");
            PredictJob job = new PredictJob(where.runId(), where.attempt(), role, spec, data.datasetSlug(), data.dataVersion(), model, input,
                    truth.size(), where.runDir(), where.inputsUrl(), where.uploadUrl(), where.token(), where.log());
            List<ModelPrediction> predictions = Predictions.read(trainer.predict(job), truth.size());
            ArrayNode sample = mapper.createArrayNode();
            for (int i = 0; i < sampled.size(); i++) {
                addSample(sample, sampled.get(i), truth.get(i), predictions.get(i));
            }
            return new Measured(Metrics.compute(truth, predictions), sample);
        } finally {
            deleteTree(dir);
            deleteTree(where.runDir().resolve("predict-" + role));
        }
    }

    private void addSample(ArrayNode sample, JsonNode record, String label, ModelPrediction prediction) {
        ObjectNode entry = sample.addObject();
        entry.set("record", record);
        entry.put("label", label);
        entry.put("predicted", prediction.label());
        entry.set("scores", mapper.valueToTree(prediction.scores()));
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a leftover in a run's directory; nothing reads it again
        }
    }
}
