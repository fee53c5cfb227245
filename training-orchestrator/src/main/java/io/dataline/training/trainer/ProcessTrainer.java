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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code trainer: process}: runs a command the operator configured by name
 * ({@code dataline.trainers.process.<template>.command}); the spec only names the template and passes {@code params},
 * so a dataset writer can never make the server run a command of their choosing. The command line is split on
 * whitespace <em>before</em> placeholders are replaced, and no shell runs it, so no value can add arguments.
 * Placeholders: {@code {dataUrl} {dataVersion} {dataset} {trainFile} {heldOutFile} {specFile} {paramsFile} {outDir}
 * {runId}}. It runs sandboxed ({@link ProcessSandbox}: its run's own directory, a clean environment with the same
 * values as {@code DATALINE_*} variables, prlimit(1) limits), is killed (with its children) at the template's timeout,
 * and must leave {@code metrics.json} and one model file in {@code {outDir}}, as regular files: links are not followed.
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
        if (spec.template() == null) {
            throw new InvalidSpecException(List.of("/training/template: the process trainer needs a template (configured: "
                    + config.trainers().process().keySet().stream().sorted().toList() + ")"));
        }
        if (!config.trainers().process().containsKey(spec.template())) {
            throw new InvalidSpecException(List.of("/training/template: no process template \"" + spec.template() + "\" is configured (configured: "
                    + config.trainers().process().keySet().stream().sorted().toList() + ")"));
        }
    }

    @Override
    public TrainerOutput train(TrainingJob job) throws TrainingFailedException, InterruptedException {
        check(job.spec());
        TrainingConfig.ProcessTemplate template = config.trainers().process().get(job.spec().template());
        Path data = job.runDir().resolve("data");
        Map<String, String> values = new LinkedHashMap<>();
        try {
            Files.createDirectories(data);
            Files.createDirectories(job.outDir());
            values.put("dataUrl", job.dataUrl());
            values.put("dataVersion", job.dataVersion());
            values.put("dataset", job.datasetSlug());
            values.put("trainFile", place(job.data().trainingFile(), data.resolve("train.ndjson")).toString());
            values.put("heldOutFile", place(job.data().heldOutFile(), data.resolve("heldout.ndjson")).toString());
            values.put("specFile", json(data.resolve("spec.json"), job.spec().toJson()).toString());
            values.put("paramsFile", json(data.resolve("params.json"), job.spec().params()).toString());
            values.put("outDir", job.outDir().toString());
            values.put("runId", job.runId().toString());
        } catch (IOException e) {
            throw new TrainingFailedException("preparing the run's files failed: " + e.getMessage(), e);
        }
        List<String> command = new ArrayList<>();
        try {
            for (String part : template.command().trim().split("\\s+")) {
                command.add(ExternalOutputs.substitute(part, values));
            }
        } catch (IllegalArgumentException e) {
            throw new TrainingFailedException("process template \"" + job.spec().template() + "\" is misconfigured: " + e.getMessage(), e);
        }
        ProcessBuilder builder = ProcessSandbox.builder(template, command, values, job.runDir(), System.getenv());
        job.log().line("$ " + String.join(" ", command));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TrainingFailedException("the trainer command could not start: " + e.getMessage(), e);
        }
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    job.log().line(line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "trainer-output-" + job.runId());
        pump.setDaemon(true);
        pump.start();
        try {
            if (!process.waitFor(template.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new TrainingFailedException("the trainer timed out after " + template.timeout() + " and was killed");
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        pump.join(2000);
        if (process.exitValue() != 0) {
            String tail = job.log().tail();
            String last = tail.substring(tail.lastIndexOf('\n') + 1);
            throw new TrainingFailedException("the trainer exited with code " + process.exitValue() + "; last output: " + last);
        }
        return ExternalOutputs.collect(job.outDir());
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** The split's file where the trainer expects it (the same file when the split was written there). */
    private static Path place(Path split, Path file) throws IOException {
        if (!split.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize())) {
            Files.copy(split, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private static Path json(Path file, JsonNode value) throws IOException {
        JSON.writeValue(file.toFile(), value);
        return file;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
    }
}
