package io.dataline.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.DatasetServiceProcess;
import io.dataline.testsupport.RecordingServer;
import io.dataline.testsupport.SampleRecords;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/github-actions/}: the workflow reacts to the event_type a github-dispatch webhook really sends, never
 * splices payload values into a script, and its steps work — a real dataset-service dispatches a commit to a recording
 * endpoint (as GitHub would receive it), then the workflow's own {@code run:} scripts are executed with that payload:
 * the payload check, the installation of the Python client from this repository ({@code clients/python}) into a
 * virtual environment, and the user's {@code train.py}, which streams the version with it and whose model records the
 * data version it was trained on. Bad payloads stop the job at the first step. The pull request workflow reads the
 * checks of the pull request a {@code data_pull_opened} dispatch names, with the same client.
 */
class GitHubActionsExampleIT {

    private static final Path ROOT = Path.of(System.getenv().getOrDefault("DATALINE_ROOT", "..")).toAbsolutePath().normalize();
    private static final Path EXAMPLE = ROOT.resolve("examples/github-actions");

    @TempDir
    Path workspace;

    @Test
    void shouldListenOnlyToDispatchesAndKeepPayloadsOutOfScripts() throws Exception {
        JsonNode workflow = workflow();
        JsonNode on = workflow.has("on") ? workflow.get("on") : workflow.get("true");
        assertThat(on.at("/repository_dispatch/types")).hasSize(1);
        assertThat(on.at("/repository_dispatch/types/0").asText()).isEqualTo("new_data_committed");
        for (JsonNode step : workflow.at("/jobs/train/steps")) {
            if (step.has("run")) {
                assertThat(step.get("run").asText()).as(step.path("name").asText()).doesNotContain("${{");
            }
        }
    }

    @Test
    void shouldTrainOnTheVersionADispatchNames() throws Exception {
        try (RecordingServer github = new RecordingServer()) {
            String name = DatasetServiceApi.uniqueName("Actions");
            DatasetServiceApi.create(name, null);
            DatasetServiceApi.request().contentType(ContentType.JSON)
                    .body(Map.of("url", github.url("/repos/acme/models/dispatches"), "events", List.of("committed"),
                            "format", "github-dispatch", "token", "ghp_example", "secret", "example-secret"))
                    .post("/datasets/{d}/webhooks", name).then().statusCode(201);
            String version = DatasetServiceApi.commit(name, SampleRecords.feedback(120, 7), null);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (github.received().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(github.received()).hasSize(1);
            JsonNode dispatch = new ObjectMapper().readTree(github.received().get(0).body());
            assertThat(dispatch.path("event_type").asText()).isEqualTo(workflow().at("/on/repository_dispatch/types/0").asText(
                    workflow().at("/true/repository_dispatch/types/0").asText()));

            Files.createSymbolicLink(workspace.resolve(".dataline"), ROOT);
            Files.copy(EXAMPLE.resolve("train.py"), workspace.resolve("train.py"));
            Map<String, String> env = Map.of(
                    "DATALINE_URL", DatasetServiceProcess.instance().url(),
                    "DATALINE_API_KEY", DatasetServiceProcess.ADMIN_KEY,
                    "DATASET", dispatch.at("/client_payload/dataset").asText(),
                    "DATA_VERSION", dispatch.at("/client_payload/data_version").asText());
            for (String step : List.of("Check the payload", "Install the Dataline client", "Train")) {
                Result result = runStep(step, env);
                assertThat(result.code()).as(step + ":\n" + result.output()).isZero();
            }

            JsonNode metrics = new ObjectMapper().readTree(workspace.resolve("model/metrics.json").toFile());
            assertThat(metrics.path("dataVersion").asText()).isEqualTo(version);
            assertThat(metrics.path("records").asInt()).isEqualTo(120);
            assertThat(metrics.path("heldOutRecords").asInt()).isPositive();
            assertThat(metrics.path("accuracy").asDouble()).isBetween(0.0, 1.0);
            assertThat(workspace.resolve("model/model.json")).exists();
        }
    }

    @Test
    void shouldReadTheChecksOfThePullRequestADispatchNames() throws Exception {
        JsonNode workflow = workflow("data-pull-checks.yml");
        JsonNode on = workflow.has("on") ? workflow.get("on") : workflow.get("true");
        assertThat(on.at("/repository_dispatch/types")).extracting(JsonNode::asText).containsExactly("data_pull_opened", "data_pull_checks_completed");
        for (JsonNode step : workflow.at("/jobs/checks/steps")) {
            if (step.has("run")) {
                assertThat(step.get("run").asText()).as(step.path("name").asText()).doesNotContain("${{");
            }
        }
        try (RecordingServer github = new RecordingServer()) {
            String name = DatasetServiceApi.uniqueName("Actions pull");
            DatasetServiceApi.create(name, null);
            DatasetServiceApi.request().contentType(ContentType.JSON)
                    .body(Map.of("url", github.url("/repos/acme/models/dispatches"), "events", List.of("pull-opened", "pull-checks-completed"),
                            "format", "github-dispatch", "token", "ghp_example", "secret", "example-secret"))
                    .post("/datasets/{d}/webhooks", name).then().statusCode(201);
            DatasetServiceApi.commit(name, SampleRecords.feedback(20, 7), null);
            DatasetServiceApi.request().contentType(ContentType.JSON).body(Map.of("name", "relabel", "from", "main"))
                    .post("/datasets/{d}/branches", name).then().statusCode(201);
            DatasetServiceApi.request().contentType(ContentType.JSON).body(SampleRecords.feedback(3, 99))
                    .post("/datasets/{d}/branches/relabel/records", name).then().statusCode(200);
            String head = DatasetServiceApi.request().contentType(ContentType.JSON).body(Map.of("message", "relabel"))
                    .post("/datasets/{d}/branches/relabel/commits", name).then().statusCode(201).extract().path("hash");
            int number = DatasetServiceApi.request().contentType(ContentType.JSON).body(Map.of("from", "relabel", "into", "main", "title", "Relabel"))
                    .post("/datasets/{d}/pulls", name).then().statusCode(201).extract().path("number");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (github.received().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(github.received()).hasSize(1);
            JsonNode dispatch = new ObjectMapper().readTree(github.received().get(0).body());
            assertThat(dispatch.path("event_type").asText()).isEqualTo("data_pull_opened");
            assertThat(dispatch.at("/client_payload/pull_request").asInt()).isEqualTo(number);

            Files.createSymbolicLink(workspace.resolve(".dataline"), ROOT);
            Map<String, String> env = Map.of(
                    "DATALINE_URL", DatasetServiceProcess.instance().url(),
                    "DATALINE_API_KEY", DatasetServiceProcess.ADMIN_KEY,
                    "DATASET", dispatch.at("/client_payload/dataset").asText(),
                    "PULL_REQUEST", dispatch.at("/client_payload/pull_request").asText(),
                    "CHECKS_WAIT", "1");
            for (String step : List.of("Check the payload", "Install the Dataline client")) {
                Result result = runStep(workflow, "checks", step, env);
                assertThat(result.code()).as(step + ":\n" + result.output()).isZero();
            }
            // only dataset-service runs here: nothing validates the branch head, so the checks stay pending and the job fails
            Result checks = runStep(workflow, "checks", "Read the checks", env);
            assertThat(checks.code()).as(checks.output()).isEqualTo(2);
            assertThat(checks.output()).contains("#" + number + "  checks of relabel on " + head + ": pending");
            Result hostile = runStep(workflow, "checks", "Check the payload", Map.of("DATASET", "x", "PULL_REQUEST", "1; touch pwned"));
            assertThat(hostile.code()).isNotZero();
            assertThat(workspace.resolve("pwned")).doesNotExist();
        }
    }

    @Test
    void shouldStopOnAPayloadThatIsNotAVersion() throws Exception {
        Result result = runStep("Check the payload", Map.of("DATASET", "x", "DATA_VERSION", "$(touch pwned)"));
        assertThat(result.code()).isNotZero();
        assertThat(result.output()).contains("::error::");
        assertThat(workspace.resolve("pwned")).doesNotExist();
    }

    private record Result(int code, String output) {
    }

    private Result runStep(String stepName, Map<String, String> env) throws Exception {
        return runStep(workflow(), "train", stepName, env);
    }

    /** Runs one step's {@code run:} script as GitHub does ({@code bash -e}) in the workspace with the job's variables. */
    private Result runStep(JsonNode workflow, String job, String stepName, Map<String, String> env) throws Exception {
        String script = null;
        for (JsonNode step : workflow.at("/jobs/" + job + "/steps")) {
            if (stepName.equals(step.path("name").asText())) {
                script = step.path("run").asText();
            }
        }
        assertThat(script).as("step " + stepName).isNotNull();
        Path output = workspace.resolve("step.log");
        List<String> command = new ArrayList<>(List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static JsonNode workflow() throws Exception {
        return workflow("train-on-new-data.yml");
    }

    private static JsonNode workflow(String file) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(EXAMPLE.resolve(file).toFile());
    }
}
