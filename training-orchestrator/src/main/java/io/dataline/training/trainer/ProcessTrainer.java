package io.dataline.training.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.models.InvalidSpecException;
import io.dataline.models.TrainingSpec;
import io.dataline.training.config.TrainingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code trainer: process}: runs commands the operator configured by name
 * ({@code dataline.trainers.process.<template>.command} and {@code .predict-command}); the spec only names the
 * template and passes {@code params}, so a dataset writer can never make the server run a command of their choosing.
 * A command line is split on whitespace <em>before</em> placeholders are replaced, and no shell runs it, so no value
 * can add arguments. Training placeholders: {@code {trainFile} {specFile} {paramsFile} {outDir} {dataset}
 * {dataVersion} {runId}}; it must leave one model file in {@code {outDir}}, a regular file (links are not followed).
 * Predict placeholders: {@code {modelFile} {inputFile} {outputFile} {specFile} {paramsFile} {dataset} {dataVersion}
 * {runId}}; it writes {@link Predictions} for the input's records. The held-out records are never handed to the
 * training command, and the predict command gets them without their labels. Both run sandboxed
 * ({@link ProcessSandbox}: a directory of their own, a clean environment with the values also as {@code DATALINE_*}
 * variables, prlimit(1) limits) and are killed (with their children) at the template's timeout.
 */
@ApplicationScoped
public class ProcessTrainer implements Trainer {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    TrainingConfig config;

    @Override
    public String name() {
        return "process";
    }

    @Override
    public void check(TrainingSpec spec) {
        List<String> configured = config.trainers().process().keySet().stream().sorted().toList();
        if (spec.template() == null) {
            throw new InvalidSpecException(List.of("/training/template: the process trainer needs a template (configured: " + configured + ")"));
        }
        TrainingConfig.ProcessTemplate template = config.trainers().process().get(spec.template());
        if (template == null) {
            throw new InvalidSpecException(List.of("/training/template: no process template \"" + spec.template() + "\" is configured (configured: "
                    + configured + ")"));
        }
        if (template.predictCommand().isEmpty()) {
            throw new InvalidSpecException(List.of("/training/template: process template \"" + spec.template() + "\" has no predict-command; "
                    + "Dataline measures every model itself by running its predict command on the held-out records"));
        }
    }

    @Override
    public TrainerOutput train(TrainingJob job) throws TrainingFailedException, InterruptedException {
        check(job.spec());
        TrainingConfig.ProcessTemplate template = config.trainers().process().get(job.spec().template());
        Path sandbox = job.runDir().resolve("train");
        Map<String, String> values = new LinkedHashMap<>();
        try {
            Files.createDirectories(job.outDir());
            values.put("trainFile", ExternalOutputs.place(job.data().trainingFile(), sandbox.resolve("in/train.ndjson"), true).toString());
            values.putAll(common(job.spec(), sandbox, job.datasetSlug(), job.dataVersion(), job.runId().toString()));
            values.put("outDir", job.outDir().toString());
        } catch (IOException e) {
            throw new TrainingFailedException("preparing the run's files failed: " + e.getMessage(), e);
        }
        run(template, template.command(), values, sandbox, job.log(), "the trainer");
        return ExternalOutputs.collect(job.outDir());
    }

    @Override
    public Path predict(PredictJob job) throws TrainingFailedException, InterruptedException {
        check(job.spec());
        TrainingConfig.ProcessTemplate template = config.trainers().process().get(job.spec().template());
        Path sandbox = job.dir();
        Path output = sandbox.resolve("out").resolve(ExternalOutputs.PREDICTIONS);
        Map<String, String> values = new LinkedHashMap<>();
        try {
            values.put("modelFile", ExternalOutputs.place(job.model(), sandbox.resolve("in").resolve(job.model().getFileName()), false).toString());
            values.put("inputFile", ExternalOutputs.place(job.input(), sandbox.resolve("in/input.ndjson"), true).toString());
            Files.createDirectories(output.getParent());
            Files.deleteIfExists(output);
            values.put("outputFile", output.toString());
            values.putAll(common(job.spec(), sandbox, job.dataset(), job.dataVersion(), job.runId().toString()));
        } catch (IOException e) {
            throw new TrainingFailedException("preparing the predict step's files failed: " + e.getMessage(), e);
        }
        run(template, template.predictCommand().orElseThrow(), values, sandbox, job.log(), "the predict step");
        return output;
    }

    private static Map<String, String> common(TrainingSpec spec, Path sandbox, String dataset, String dataVersion, String runId) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("specFile", json(sandbox.resolve("in/spec.json"), spec.toJson()).toString());
        values.put("paramsFile", json(sandbox.resolve("in/params.json"), spec.params()).toString());
        values.put("dataset", dataset);
        values.put("dataVersion", dataVersion);
        values.put("runId", runId);
        return values;
    }

    private void run(TrainingConfig.ProcessTemplate template, String commandLine, Map<String, String> values, Path sandbox, RunLog log, String what)
            throws TrainingFailedException, InterruptedException {
        List<String> command;
        try {
            command = ExternalOutputs.substituteAll(List.of(commandLine.trim().split("\\s+")), values);
        } catch (IllegalArgumentException e) {
            throw new TrainingFailedException("a command of this process template is misconfigured: " + e.getMessage(), e);
        }
        ProcessBuilder builder = ProcessSandbox.builder(template, command, values, sandbox, System.getenv());
        log.line("$ " + String.join(" ", command));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TrainingFailedException(what + " could not start: " + e.getMessage(), e);
        }
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.line(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "trainer-output-" + values.get("runId"));
        pump.setDaemon(true);
        pump.start();
        try {
            if (!process.waitFor(template.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new TrainingFailedException(what + " timed out after " + template.timeout() + " and was killed");
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        pump.join(2000);
        if (process.exitValue() != 0) {
            String tail = log.tail();
            String last = tail.substring(tail.lastIndexOf('\n') + 1);
            throw new TrainingFailedException(what + " exited with code " + process.exitValue() + "; last output: " + last);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static Path json(Path file, JsonNode value) throws IOException {
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), value);
        return file;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }
}
