package io.dataline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./dataline demo}: on a running stack, creates (or reuses) the dataset "Customer Feedback Analysis" with a
 * validation, training and promotion spec, commits the bundled sample, then the two records of the dataset-service
 * snippet ("Added Q4 2023 feedback data"), and prints each stage of both commits as dataset-service's lineage view
 * records it, ending with a prediction from the staged model. Re-runnable: records that are already there are not
 * committed again, and a commit with nothing new is reported as such.
 */
final class Demo {

    static final String DATASET = "Customer Feedback Analysis";
    static final String SLUG = "customer-feedback-analysis";
    static final Duration STAGE_TIMEOUT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String datasets;
    private final String deploy;
    private final String console;
    private final String key;
    private final PrintStream out;

    Demo(StackLayout layout, String adminKey, PrintStream out) {
        Map<String, String> urls = new HashMap<>();
        layout.services().forEach(s -> urls.put(s.name(), s.url()));
        this.datasets = urls.get("dataset-service");
        this.deploy = urls.get("deploy-service");
        this.console = urls.get("console");
        this.key = adminKey;
        this.out = out;
    }

    /** The pipeline spec of the demo dataset: a data contract, a text classifier and promotion gates. */
    static ObjectNode pipeline() {
        ObjectNode pipeline = JSON.createObjectNode();
        ObjectNode validation = pipeline.putObject("validation");
        validation.put("minRecords", 2);
        ObjectNode fields = validation.putObject("fields");
        fields.putObject("sentiment").putArray("allowedValues").add("positive").add("negative");
        fields.putObject("feedback").put("minLength", 3).put("maxLength", 2000);
        validation.putArray("drift").addObject().put("field", "sentiment").put("maxLInfinity", 0.3).put("maxJensenShannon", 0.1);
        ObjectNode training = pipeline.putObject("training");
        training.put("labelField", "sentiment");
        ArrayNode features = training.putArray("features");
        features.addObject().put("field", "feedback").put("type", "text");
        features.addObject().put("field", "category").put("type", "categorical");
        training.put("trainer", "builtin").put("holdoutFraction", 0.2).put("seed", 42);
        ObjectNode promotion = pipeline.putObject("promotion");
        ArrayNode gates = promotion.putArray("gates");
        gates.addObject().put("metric", "accuracy").put("min", 0.7);
        gates.addObject().put("metric", "macroF1").put("maxRegression", 0.05);
        gates.addObject().put("metric", "logLoss").put("max", 0.8);
        return pipeline;
    }

    static List<JsonNode> sample() throws IOException {
        List<JsonNode> records = new ArrayList<>();
        try (InputStream in = Demo.class.getResourceAsStream("/demo/customer-feedback.ndjson");
             BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank()) {
                    records.add(JSON.readTree(line));
                }
            }
        }
        return records;
    }

    static List<JsonNode> snippet() throws IOException {
        return List.of(JSON.readTree("{\"id\": \"usr_125\", \"feedback\": \"The new UI is fantastic!\", \"sentiment\": \"positive\", \"category\": \"app\"}"),
                JSON.readTree("{\"id\": \"usr_126\", \"feedback\": \"My login is not working.\", \"sentiment\": \"negative\", \"category\": \"app\"}"));
    }

    void run() throws IOException, InterruptedException {
        out.println("Follow it live on the board: " + console + " (log in with the admin key in .dataline/admin-key)");
        out.println();
        ensureDataset();
        commitAndFollow(sample(), "Customer feedback sample (" + sample().size() + " records)");
        commitAndFollow(snippet(), "Added Q4 2023 feedback data");
        predict();
        out.println();
        out.println("The stack keeps running: " + console + " is the console (board, diffs, validation reports, models),");
        out.println("./dataline watch shows every event, ./dataline down stops it all.");
    }

    private void ensureDataset() throws IOException, InterruptedException {
        HttpResponse<String> existing = send("GET", datasets + "/datasets/" + SLUG, null);
        if (existing.statusCode() == 200) {
            out.println("Using the existing dataset \"" + DATASET + "\" (head " + shortHash(JSON.readTree(existing.body()).path("head").asText(null)) + ").");
            return;
        }
        ObjectNode body = JSON.createObjectNode().put("name", DATASET).put("primaryKey", "id")
                .put("description", "Customer feedback with its sentiment: the Dataline demo");
        ObjectNode schema = body.putObject("schema").put("type", "object");
        schema.putArray("required").add("id").add("feedback").add("sentiment");
        ObjectNode properties = schema.putObject("properties");
        for (String field : List.of("id", "feedback", "sentiment", "category")) {
            properties.putObject(field).put("type", "string");
        }
        body.set("pipeline", pipeline());
        HttpResponse<String> created = send("POST", datasets + "/datasets", body);
        expect(created, 201, "creating the dataset");
        out.println("Created the dataset \"" + DATASET + "\" (validation, training and promotion spec in its pipeline).");
    }

    private void commitAndFollow(List<JsonNode> records, String message) throws IOException, InterruptedException {
        out.println();
        out.println("== commit: " + message);
        Map<String, JsonNode> current = currentRecords();
        List<JsonNode> changed = records.stream().filter(r -> !r.equals(current.get(r.path("id").asText()))).toList();
        if (changed.isEmpty()) {
            String head = JSON.readTree(send("GET", datasets + "/datasets/" + SLUG, null).body()).path("head").asText();
            out.println("   nothing new: all " + records.size() + " records are already in version " + shortHash(head) + "; its pipeline:");
            follow(head);
            return;
        }
        expect(send("POST", datasets + "/datasets/" + SLUG + "/records", JSON.valueToTree(changed)), 200, "staging records");
        HttpResponse<String> commit = send("POST", datasets + "/datasets/" + SLUG + "/commits",
                JSON.createObjectNode().put("message", message).put("author", "dataline-demo"));
        expect(commit, 201, "committing");
        follow(JSON.readTree(commit.body()).path("hash").asText());
    }

    private Map<String, JsonNode> currentRecords() throws IOException, InterruptedException {
        Map<String, JsonNode> records = new HashMap<>();
        HttpResponse<String> head = send("GET", datasets + "/datasets/" + SLUG, null);
        if (JSON.readTree(head.body()).path("head").isNull()) {
            return records;
        }
        HttpRequest request = request(datasets + "/datasets/" + SLUG + "/versions/latest/records").header("Accept", "application/x-ndjson").GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        expect(response, 200, "reading the current records");
        for (String line : response.body().split("\n")) {
            if (!line.isBlank()) {
                JsonNode record = JSON.readTree(line);
                records.put(record.path("id").asText(), record);
            }
        }
        return records;
    }

    /** Prints each stage of a version as the lineage view records it, until a terminal stage or the timeout. */
    private void follow(String version) throws IOException, InterruptedException {
        Set<String> printed = new HashSet<>();
        long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = send("GET", datasets + "/datasets/" + SLUG + "/versions/" + version + "/pipeline", null);
            expect(response, 200, "reading the pipeline of " + version);
            boolean terminal = false;
            for (JsonNode stage : JSON.readTree(response.body()).path("stages")) {
                String id = stage.path("stage").asText() + "/" + stage.path("status").asText() + "/" + stage.path("at").asText();
                if (printed.add(id)) {
                    out.println("   " + describe(version, stage));
                }
                String s = stage.path("stage").asText();
                String status = stage.path("status").asText();
                terminal |= status.equals("failed") || s.equals("promotion");
            }
            if (terminal) {
                return;
            }
            Thread.sleep(250);
        }
        out.println("   (no terminal stage within " + STAGE_TIMEOUT.toMinutes() + " minutes; ./dataline watch and ./dataline dlq list show what happened)");
    }

    static String describe(String version, JsonNode stage) {
        JsonNode d = stage.path("detail");
        String time = stage.path("at").asText().replaceAll(".*T(\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?).*", "$1");
        String what = switch (stage.path("stage").asText() + "/" + stage.path("status").asText()) {
            case "committed/done" -> String.format(Locale.ROOT, "committed   %s: %d records (+%d ~%d -%d)", shortHash(version), d.path("recordCount").asLong(),
                    d.path("added").asLong(), d.path("updated").asLong(), d.path("deleted").asLong());
            case "validation/passed" -> "validated   " + d.path("checksRun").asInt() + " checks passed" + drift(d.path("drift"));
            case "validation/failed" -> "validation FAILED: " + d.path("failedChecks").size() + " check(s): " + d.path("failedChecks");
            case "training/running" -> "training    run " + d.path("runId").asText() + " (" + d.path("trainer").asText() + " trainer)";
            case "training/failed" -> "training FAILED: " + d.path("reason").asText();
            case "registered/done" -> "registered  model " + d.path("model").asText() + " v" + d.path("modelVersion").asInt() + ": "
                    + metrics(d.path("metrics")) + (d.path("baselineVersion").isNull() ? " (nothing in staging yet)"
                    : "; staging v" + d.path("baselineVersion").asInt() + " on the same held-out records: " + metrics(d.path("baselineMetrics")));
            case "promotion/promoted" -> "promoted    v" + d.path("modelVersion").asInt() + " to staging" + gates(d.path("gates"));
            case "promotion/rolled back" -> "rolled back staging to v" + d.path("modelVersion").asInt();
            case "promotion/rejected" -> "REJECTED    v" + d.path("modelVersion").asInt() + ": " + d.path("reason").asText();
            default -> stage.path("stage").asText() + " " + stage.path("status").asText();
        };
        return time + "  " + what;
    }

    private static String drift(JsonNode drift) {
        if (!drift.isArray() || drift.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode score : drift) {
            if (!score.path("lInfinity").isNumber() && !score.path("jensenShannon").isNumber()) {
                continue; // a first commit has no parent to drift from
            }
            parts.add(score.path("field").asText() + " L∞ " + number(score.path("lInfinity")) + ", JS " + number(score.path("jensenShannon")));
        }
        return parts.isEmpty() ? "" : "; drift vs parent: " + String.join("; ", parts);
    }

    private static String metrics(JsonNode m) {
        if (m.isMissingNode() || m.isNull()) {
            return "n/a";
        }
        return "accuracy " + number(m.path("accuracy")) + ", macroF1 " + number(m.path("macroF1")) + ", logLoss " + number(m.path("logLoss"));
    }

    private static String gates(JsonNode gates) {
        if (!gates.isArray() || gates.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (JsonNode g : gates) {
            parts.add(g.path("metric").asText() + " " + g.path("rule").asText() + " " + number(g.path("threshold")) + (g.path("passed").asBoolean() ? " ok" : " FAILED"));
        }
        return " (" + String.join(", ", parts) + ")";
    }

    private static String number(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.3f", n.asDouble()) : "n/a";
    }

    private void predict() throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode records = body.putArray("records");
        List<String> texts = List.of("Delivery was fast and the support team was lovely.", "The app keeps crashing and nobody answers my emails.");
        texts.forEach(t -> records.addObject().put("feedback", t).put("category", "support"));
        out.println();
        HttpResponse<String> response = send("POST", deploy + "/models/" + SLUG + "/staging/predict", body);
        if (response.statusCode() != 200) {
            out.println("No prediction: deploy-service answered " + response.statusCode() + ": " + response.body());
            return;
        }
        JsonNode answer = JSON.readTree(response.body());
        out.println("Predictions from the model in staging (" + SLUG + " v" + answer.path("version").asInt() + ", trained on "
                + shortHash(answer.path("dataVersion").asText()) + "):");
        for (int i = 0; i < texts.size(); i++) {
            JsonNode p = answer.path("predictions").get(i);
            out.printf(Locale.ROOT, "   %-55s → %s (p=%.2f)%n", "\"" + texts.get(i) + "\"", p.path("label").asText(),
                    p.path("scores").path(p.path("label").asText()).asDouble());
        }
    }

    private HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + key);
    }

    private HttpResponse<String> send(String method, String url, JsonNode body) throws IOException, InterruptedException {
        HttpRequest.Builder request = request(url).header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.net.ConnectException e) {
            throw new LauncherException(url + " is not reachable; is the stack up? ./dataline status");
        }
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new LauncherException(what + " failed: " + response.statusCode() + " " + response.body());
        }
    }

    static String shortHash(String hash) {
        return hash == null || hash.isEmpty() || hash.equals("null") ? "(empty)" : hash.substring(0, Math.min(12, hash.length()));
    }
}
