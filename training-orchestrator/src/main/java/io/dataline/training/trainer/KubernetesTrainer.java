package io.dataline.training.trainer;

import io.dataline.models.InvalidSpecException;
import io.dataline.models.TrainingSpec;
import io.dataline.training.config.TrainingConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code trainer: kubernetes}: runs an operator-configured image ({@code dataline.trainers.kubernetes.templates.<t>.*})
 * as locked-down Jobs ({@link KubernetesJobs}) that talk only to the orchestrator, with the run's token
 * ({@code DATALINE_UPLOAD_TOKEN}, valid while the run runs, from a Secret the Job owns). The run's values are
 * placeholders in the arguments and {@code DATALINE_*} environment variables.
 * <ul>
 * <li>Training Job ({@code args}): {@code {dataUrl}} (the training split only, {@code GET} with the token),
 * {@code {uploadUrl}} (where it {@code PUT}s {@code model} or {@code model.<ext>}), {@code {dataset} {dataVersion}
 * {runId} {spec} {params}}. It never gets the held-out records, nor a key to dataset-service.</li>
 * <li>Predict Job ({@code predict-args}, same image), once for the candidate and once for a staged baseline trained
 * here: {@code {modelUrl} {inputUrl}} (the held-out records without their labels), {@code {uploadUrl}} (where it
 * {@code PUT}s {@code predictions.ndjson}, see {@link Predictions}), and the same run values.</li>
 * </ul>
 * A Job that fails or times out fails the run; a timed-out Job is deleted.
 */
@ApplicationScoped
public class KubernetesTrainer implements Trainer {

    static final String RUN_LABEL = KubernetesJobs.RUN_LABEL;
    static final String TOKEN_KEY = KubernetesJobs.TOKEN_KEY;

    @Inject
    TrainingConfig config;

    @Inject
    Instance<KubernetesClient> client;

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public void check(TrainingSpec spec) {
        var templates = config.trainers().kubernetes().templates();
        if (spec.template() == null || !templates.containsKey(spec.template())) {
            throw new InvalidSpecException(List.of("/training/template: no kubernetes template \"" + spec.template() + "\" is configured (configured: "
                    + templates.keySet().stream().sorted().toList() + ")"));
        }
        if (templates.get(spec.template()).predictArgs().isEmpty()) {
            throw new InvalidSpecException(List.of("/training/template: kubernetes template \"" + spec.template() + "\" has no predict-args; "
                    + "Dataline measures every model itself by running its predict Job on the held-out records"));
        }
    }

    /**
     * The name of one attempt's training Job (DNS-1123, at most 63 characters): a retried attempt creates a Job of its
     * own instead of failing on the first attempt's name.
     */
    public static String jobName(UUID runId, int attempt) {
        return "dataline-train-" + runId.toString().replace("-", "").substring(0, 20) + "-a" + attempt;
    }

    /** The name of one attempt's predict Job for the candidate ({@code -c}) or the staged baseline ({@code -b}). */
    public static String predictJobName(UUID runId, int attempt, String role) {
        return "dataline-predict-" + runId.toString().replace("-", "").substring(0, 20) + "-a" + attempt + "-" + role.charAt(0);
    }

    @Override
    public TrainerOutput train(TrainingJob job) throws TrainingFailedException, InterruptedException {
        check(job.spec());
        TrainingConfig.JobTemplate template = config.trainers().kubernetes().templates().get(job.spec().template());
        try {
            Path inputs = clear(job.runDir().resolve("inputs"));
            ExternalOutputs.place(job.data().trainingFile(), inputs.resolve("train.ndjson"), true);
            Files.createDirectories(job.outDir());
        } catch (IOException e) {
            throw new TrainingFailedException("preparing the run's inputs failed: " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("dataUrl", job.dataUrl());
        values.put("uploadUrl", job.uploadUrl());
        values.putAll(common(job.spec(), job.datasetSlug(), job.dataVersion(), job.runId()));
        jobs().run(jobName(job.runId(), job.attempt()), job.runId(), job.datasetSlug(), template, args(template.args(), values, job.spec()), values,
                job.uploadToken(), job.log());
        return ExternalOutputs.collect(job.outDir());
    }

    @Override
    public Path predict(PredictJob job) throws TrainingFailedException, InterruptedException {
        check(job.spec());
        if (!job.inRun()) {
            throw new TrainingFailedException("a model trained by the kubernetes trainer is measured only within a training run (its predict Job "
                    + "reads and uploads with the run's token)");
        }
        TrainingConfig.JobTemplate template = config.trainers().kubernetes().templates().get(job.spec().template());
        Path predictions = job.runDir().resolve("out").resolve(ExternalOutputs.PREDICTIONS);
        try {
            Path inputs = clear(job.runDir().resolve("inputs")); // the training split is gone before any predict Job starts
            ExternalOutputs.place(job.model(), inputs.resolve("model"), false);
            ExternalOutputs.place(job.input(), inputs.resolve("input.ndjson"), true);
            Files.deleteIfExists(predictions);
        } catch (IOException e) {
            throw new TrainingFailedException("preparing the predict Job's inputs failed: " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("modelUrl", job.inputsUrl() + "/model");
        values.put("inputUrl", job.inputsUrl() + "/input.ndjson");
        values.put("uploadUrl", job.uploadUrl());
        values.putAll(common(job.spec(), job.dataset(), job.dataVersion(), job.runId()));
        jobs().run(predictJobName(job.runId(), job.attempt(), job.role()), job.runId(), job.dataset(), template,
                args(template.predictArgs(), values, job.spec()), values, job.uploadToken(), job.log());
        return predictions;
    }

    private KubernetesJobs jobs() {
        KubernetesClient kube = client.get();
        return new KubernetesJobs(kube, config.trainers().kubernetes().namespace().orElse(kube.getNamespace()),
                config.trainers().kubernetes().pollInterval());
    }

    private static Map<String, String> common(TrainingSpec spec, String dataset, String dataVersion, UUID runId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("dataVersion", dataVersion);
        values.put("dataset", dataset);
        values.put("runId", runId.toString());
        values.put("spec", spec.toJson().toString());
        values.put("params", spec.params().toString());
        return values;
    }

    private static List<String> args(java.util.Optional<List<String>> configured, Map<String, String> values, TrainingSpec spec)
            throws TrainingFailedException {
        try {
            return ExternalOutputs.substituteAll(configured.orElse(List.of()), values);
        } catch (IllegalArgumentException e) {
            throw new TrainingFailedException("kubernetes template \"" + spec.template() + "\" is misconfigured: " + e.getMessage(), e);
        }
    }

    private static Path clear(Path inputs) throws IOException {
        Files.createDirectories(inputs);
        try (var files = Files.list(inputs)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        return inputs;
    }
}
