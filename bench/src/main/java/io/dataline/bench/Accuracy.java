package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.models.BuiltinTrainer;
import io.dataline.models.Evaluation;
import io.dataline.models.HoldoutSplit;
import io.dataline.models.Metrics;
import io.dataline.models.TrainingSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code accuracy}: the built-in trainer against a standard regularised logistic regression on public data sets
 * ({@code models/src/test/resources/datasets/reference.json}: Breast Cancer Wisconsin, Wine, Digits, and the Sentiment
 * Labelled Sentences corpus), each split as Dataline splits it. The built-in trainer runs with its defaults
 * (LIBLINEAR) and with {@code solver: sgd} for comparison; the reference is scikit-learn's {@code LogisticRegression}
 * fitted by {@code bench/reference/logistic_regression.py} on the same split files, run live when a Python with
 * scikit-learn is found ({@code DATALINE_REFERENCE_PYTHON}, else {@code /usr/bin/python3} or {@code python3}), else the
 * accuracy recorded in reference.json (the table says which). Target: within 2 points of the reference.
 */
final class Accuracy extends Suite {

    Accuracy() {
        super("accuracy", "data sets (all four whatever the size)", 4, false);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        Path datasets = context.root().resolve("models/src/test/resources/datasets");
        JsonNode reference = Api.JSON.readTree(datasets.resolve("reference.json").toFile());
        ObjectNode job = Api.JSON.createObjectNode();
        ArrayNode jobs = job.putArray("datasets");
        Report.Table table = report.table("accuracy", "held-out accuracy on the same split", "data set", "dataset", "records", "records",
                "held out", "heldOut", "built-in", "builtin", "built-in sgd", "builtinSgd", "sklearn LR", "reference", "reference from",
                "referenceFrom", "built-in − LR", "difference");
        List<ObjectNode> rows = new ArrayList<>();
        for (JsonNode dataset : reference.path("datasets")) {
            TrainingSpec spec = TrainingSpec.parse(dataset.path("spec"));
            List<JsonNode> records = read(datasets.resolve(dataset.path("file").asText()));
            HoldoutSplit split = HoldoutSplit.of(spec);
            List<JsonNode> train = new ArrayList<>();
            List<JsonNode> heldOut = new ArrayList<>();
            records.forEach(r -> (split.isHeldOut(r.get(dataset.path("key").asText())) ? heldOut : train).add(r));
            String name = dataset.path("name").asText();
            context.progress("%s: %,d records, %,d held out", name, records.size(), heldOut.size());
            Metrics builtin = Evaluation.of(BuiltinTrainer.train(spec, train), heldOut, spec.labelField()).metrics();
            ObjectNode sgdSpec = spec.toJson().deepCopy();
            sgdSpec.putObject("params").put("solver", "sgd");
            Metrics sgd = Evaluation.of(BuiltinTrainer.train(TrainingSpec.parse(sgdSpec), train), heldOut, spec.labelField()).metrics();
            ObjectNode row = table.row().put("dataset", name).put("records", records.size()).put("heldOut", heldOut.size())
                    .put("builtin", builtin.accuracy()).put("builtinMacroF1", builtin.macroF1()).put("builtinSgd", sgd.accuracy())
                    .put("recordedReference", dataset.path("reference").asDouble(Double.NaN));
            rows.add(row);
            Path dir = Files.createDirectories(context.scratch().resolve("accuracy").resolve(name));
            jobs.addObject().put("name", name).put("train", write(dir.resolve("train.ndjson"), train).toString())
                    .put("test", write(dir.resolve("test.ndjson"), heldOut).toString()).set("spec", spec.toJson());
        }
        Path jobFile = context.scratch().resolve("accuracy/job.json");
        Files.writeString(jobFile, job.toString());
        Map<String, Double> live = live(context, jobFile, report);
        boolean allWithin = true;
        for (ObjectNode row : rows) {
            Double value = live.get(row.path("dataset").asText());
            double ref = value != null ? value : row.path("recordedReference").asDouble();
            row.put("reference", ref).put("referenceFrom", value != null ? report.json().path("sklearn").asText("scikit-learn") : "recorded")
                    .put("difference", row.path("builtin").asDouble() - ref);
            allWithin &= row.path("builtin").asDouble() >= ref - 0.02; // the issue's 2 points
        }
        report.target("the built-in trainer within 2 points of scikit-learn's LogisticRegression on every data set", allWithin,
                rows.stream().map(r -> r.path("dataset").asText() + String.format(" %+.3f", r.path("difference").asDouble())).toList().toString());
    }

    /** Runs the reference script; its accuracy by data set, or empty (with a note) when no Python with scikit-learn is here. */
    private static Map<String, Double> live(Context context, Path jobFile, Report report) throws IOException, InterruptedException {
        Map<String, Double> accuracy = new HashMap<>();
        Path script = context.root().resolve("bench/reference/logistic_regression.py");
        String configured = System.getenv("DATALINE_REFERENCE_PYTHON");
        for (String python : configured != null ? List.of(configured) : List.of("/usr/bin/python3", "python3")) {
            Process process;
            try {
                process = new ProcessBuilder(python, script.toString(), jobFile.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                continue;
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                continue;
            }
            JsonNode result = Api.JSON.readTree(output);
            result.path("results").forEach(r -> accuracy.put(r.path("name").asText(), r.path("accuracy").asDouble()));
            report.json().put("sklearn", "scikit-learn " + result.path("sklearn").asText());
            context.progress("reference: scikit-learn %s via %s", result.path("sklearn").asText(), python);
            return accuracy;
        }
        report.note("no Python with scikit-learn found (apt-get install python3-sklearn, or set DATALINE_REFERENCE_PYTHON): "
                + "the reference column is the accuracy recorded in reference.json");
        return accuracy;
    }

    private static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                records.add(Api.JSON.readTree(line));
            }
        }
        return records;
    }

    private static Path write(Path file, List<JsonNode> records) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (JsonNode record : records) {
                out.write(Api.JSON.writeValueAsString(record));
                out.write('\n');
            }
        }
        return file;
    }
}
