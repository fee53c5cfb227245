package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole pipeline end to end on real processes, a real broker and a real database, started with
 * {@code ./dataline up} once for the class: the demo to a prediction, with the staged model traced back to its exact
 * data version; a commit that breaks its contract stops at validation; a promotion that fails a gate leaves staging
 * unchanged; the training orchestrator killed with SIGKILL during a run finishes it after a restart with exactly one
 * model version, and so do the deploy-service killed during a promotion (promoted once) and the broker killed between a
 * commit and its validation (the pipeline finishes, each stage once); 50 commits across 10 datasets pushed at once all reach a terminal stage exactly once;
 * a commit on a branch trains a candidate that the gates evaluate against staging without moving it, its pull request's
 * checks show that comparison, and merging it runs main's pipeline once and promotes.
 * The stack sends OpenLineage events to a test catalog ({@code DATALINE_OPENLINEAGE_URL}): the demo's commit,
 * validation (with its report's checks), training and promotion arrive as paired runs chaining version → model; the
 * broken commit's validation arrives as FAIL with the reason, although the catalog was down when it happened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineIT {

    static final Duration STAGE = Duration.ofMinutes(3);
    static StackUnderTest stack;
    static io.dataline.testsupport.RecordingServer catalog;

    @BeforeAll
    static void up() throws Exception {
        stack = new StackUnderTest(Files.createTempDirectory("dataline-pipeline-it"));
        stack.env.put("DATALINE_RUNS_STALE_AFTER", "3s"); // a killed orchestrator's run is recovered soon
        stack.env.put("DATALINE_RUNS_HEARTBEAT", "500ms"); // and a live one's beats stay well within it
        catalog = new io.dataline.testsupport.RecordingServer();
        stack.env.put("DATALINE_OPENLINEAGE_URL", catalog.url(""));
        StackUnderTest.Result up = stack.run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            StackUnderTest.Result down = stack.down();
            assertThat(down.exitCode()).as(down.output()).isZero();
        }
        if (catalog != null) {
            catalog.close();
        }
    }

    @Test
    @Order(1)
    void shouldRunTheDemoToAPredictionFromAModelTracedToItsData() throws Exception {
        StackUnderTest.Result demo = stack.run("demo");

        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("== commit: Customer feedback sample (300 records)").contains("== commit: Added Q4 2023 feedback data")
                .contains("committed ").contains("validated ").contains("registered  model customer-feedback-analysis v1")
                .contains("promoted    v1 to staging").contains("Predictions from the model in staging").contains("./dataline down");
        assertThat(demo.output().split("== commit: Added Q4 2023 feedback data")[1]).containsPattern("(promoted|REJECTED) +v2");

        JsonNode staging = stack.json("GET", stack.deploy() + "/models/customer-feedback-analysis/stages", null, 200).path("staging");
        int version = staging.path("version").asInt();
        JsonNode lineage = stack.json("GET", stack.training() + "/models/customer-feedback-analysis/versions/" + version, null, 200);
        assertThat(lineage.path("dataVersion").asText()).isEqualTo(staging.path("dataVersion").asText());
        JsonNode stages = stack.json("GET", stack.datasets() + "/datasets/customer-feedback-analysis/versions/" + staging.path("dataVersion").asText()
                + "/pipeline", null, 200).path("stages");
        assertThat(stages.findValuesAsText("stage")).containsSubsequence("committed", "validation", "training", "registered", "promotion");
        JsonNode prediction = stack.json("POST", stack.deploy() + "/models/customer-feedback-analysis/staging/predict",
                Map.of("records", List.of(Map.of("feedback", "Great service, fast delivery, thank you!", "category", "shipping"))), 200);
        assertThat(prediction.path("predictions").get(0).path("label").asText()).isEqualTo("positive");

        StackUnderTest.Result again = stack.run("demo");
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("Using the existing dataset").contains("nothing new: all 300 records are already in version")
                .contains("nothing new: all 2 records are already in version");
        assertOpenLineage("customer-feedback-analysis", staging.path("dataVersion").asText(), version);
    }

    /** The catalog got the staged version's stages as paired runs, chaining the data version to the model version. */
    private static void assertOpenLineage(String slug, String dataVersion, int modelVersion) throws Exception {
        awaitLineage(e -> e.getJob().getName().equals("promote." + slug) && e.getEventType().name().equals("COMPLETE"));
        Map<String, io.openlineage.client.OpenLineage.RunEvent> byStage = new java.util.HashMap<>();
        for (var event : lineageEvents()) {
            boolean onVersion = event.getInputs().stream().anyMatch(i -> i.getFacets() != null && i.getFacets().getVersion() != null
                    && (dataVersion.equals(i.getFacets().getVersion().getDatasetVersion())
                            || Integer.toString(modelVersion).equals(i.getFacets().getVersion().getDatasetVersion())))
                    || event.getOutputs().stream().anyMatch(o -> dataVersion.equals(o.getFacets().getVersion().getDatasetVersion()));
            if (onVersion && event.getJob().getName().endsWith("." + slug)) {
                byStage.putIfAbsent(event.getJob().getName().substring(0, event.getJob().getName().indexOf('.')) + "/" + event.getEventType(), event);
            }
        }
        assertThat(byStage).containsKeys("commit/START", "commit/COMPLETE", "validate/START", "validate/COMPLETE", "train/START", "train/COMPLETE",
                "promote/START", "promote/COMPLETE");
        for (String stage : List.of("commit", "validate", "train", "promote")) {
            assertThat(byStage.get(stage + "/COMPLETE").getRun().getRunId()).as(stage).isEqualTo(byStage.get(stage + "/START").getRun().getRunId());
        }
        var validated = byStage.get("validate/COMPLETE").getInputs().get(0);
        assertThat(validated.getInputFacets().getDataQualityAssertions().getAssertions()).extracting(a -> a.getAssertion())
                .contains("schema", "minRecords");
        assertThat(validated.getInputFacets().getDataQualityAssertions().getAssertions()).allSatisfy(a -> assertThat(a.getSuccess()).isTrue());
        var model = byStage.get("train/COMPLETE").getOutputs().get(0);
        assertThat(model.getName()).isEqualTo("models/" + slug);
        assertThat(model.getFacets().getVersion().getDatasetVersion()).isEqualTo(Integer.toString(modelVersion));
        assertThat(model.getFacets().getAdditionalProperties().get("dataline_modelMetrics").getAdditionalProperties()).containsKey("heldOutAccuracy");
        assertThat(byStage.get("promote/COMPLETE").getInputs().get(0).getName()).isEqualTo("models/" + slug);
    }

    @Test
    @Order(2)
    void shouldStopAtValidationWhenACommitBreaksItsContract() throws Exception {
        String slug = createDataset("Broken contract", Demo.pipeline());
        catalog.downFor(Duration.ofSeconds(8)); // the lineage catalog is down meanwhile: its events wait, none is lost
        String version = commit(slug, List.of(Map.of("id", "x1", "feedback", "fine", "sentiment", "meh", "category", "app"),
                Map.of("id", "x2", "feedback", "ok then", "sentiment", "positive", "category", "app")));

        JsonNode lineage = stack.awaitTerminal(slug, version, STAGE);

        assertThat(lineage.path("stages").findValuesAsText("status")).containsExactly("done", "failed");
        Thread.sleep(2000);
        assertThat(stack.json("GET", stack.training() + "/runs?dataset=" + slug, null, 200)).isEmpty();
        var failed = awaitLineage(e -> e.getJob().getName().equals("validate." + slug) && e.getEventType().name().equals("FAIL"));
        assertThat(failed.getRun().getFacets().getErrorMessage().getMessage()).startsWith("validation failed: ").contains("allowedValues on sentiment");
        assertThat(failed.getInputs().get(0).getInputFacets().getDataQualityAssertions().getAssertions())
                .anyMatch(a -> a.getAssertion().equals("allowedValues") && !a.getSuccess());
        assertThat(catalog.received()).anyMatch(r -> r.status() == 503);
        assertThat(lineageEvents()).filteredOn(e -> e.getJob().getName().equals("commit." + slug)).extracting(e -> e.getEventType().name())
                .contains("START", "COMPLETE");
    }

    private static List<io.openlineage.client.OpenLineage.RunEvent> lineageEvents() {
        return catalog.received().stream().filter(r -> r.path().equals("/api/v1/lineage") && r.status() == 200)
                .map(r -> io.openlineage.client.OpenLineageClientUtils.runEventFromJson(r.bodyText())).toList();
    }

    private static io.openlineage.client.OpenLineage.RunEvent awaitLineage(java.util.function.Predicate<io.openlineage.client.OpenLineage.RunEvent> which)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            var found = lineageEvents().stream().filter(which).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no such lineage event within 90 s; received: " + lineageEvents().stream()
                .map(e -> e.getJob().getName() + " " + e.getEventType()).toList());
    }

    @Test
    @Order(3)
    void shouldLeaveStagingUnchangedWhenAPromotionFailsAGate() throws Exception {
        String slug = createDataset("Gated demo", Demo.pipeline());
        String first = commit(slug, sample(0, 200));
        // the Java SDK's contract case "follow to promoted" (clients/contract), on the way
        io.dataline.client.DatasetHandle sdk = io.dataline.client.Dataline.connect(stack.datasets(), StackUnderTest.ADMIN_KEY).dataset(slug);
        List<String> followed = new java.util.ArrayList<>();
        io.dataline.client.Pipeline promoted = sdk.follow(first, STAGE, stage -> followed.add(stage.stage()));
        assertThat(promoted.outcome()).as(promoted.toString()).isEqualTo("promoted");
        assertThat(followed).contains("committed", "validation", "training", "registered", "promotion");
        assertThat(stack.awaitTerminal(slug, first, STAGE).path("stages").findValuesAsText("status")).contains("promoted");
        ObjectNode strict = Demo.pipeline();
        ((ArrayNode) strict.path("promotion").path("gates")).addObject().put("metric", "accuracy").put("min", 0.9999);
        stack.json("PUT", stack.datasets() + "/datasets/" + slug + "/pipeline", strict, 200);

        String second = commit(slug, sample(200, 300));

        JsonNode lineage = stack.awaitTerminal(slug, second, STAGE);
        assertThat(lineage.path("stages").findValuesAsText("status")).contains("rejected");
        JsonNode staging = stack.json("GET", stack.deploy() + "/models/" + slug + "/stages", null, 200).path("staging");
        assertThat(staging.path("version").asInt()).isEqualTo(1);
        assertThat(staging.path("dataVersion").asText()).isEqualTo(first);
    }

    @Test
    @Order(4)
    void shouldFinishARunWithOneModelVersionAfterTheOrchestratorIsKilled() throws Exception {
        ObjectNode slow = Demo.pipeline();
        ((ObjectNode) slow.path("training")).putObject("params").put("solver", "sgd").put("epochs", 1500); // a run long enough to be killed in
        String slug = createDataset("Killed mid-run", slow);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            records.addAll(sample(0, 300).stream().map(r -> {
                Map<String, Object> copy = new java.util.LinkedHashMap<>(r);
                copy.put("id", r.get("id") + "-" + records.size());
                return copy;
            }).toList());
        }
        String version = commit(slug, records);
        JsonNode running = stack.await(stack.training() + "/runs?dataset=" + slug,
                runs -> runs.size() == 1 && runs.get(0).path("state").asText().equals("RUNNING"), STAGE).get(0);

        stack.kill("training-orchestrator");
        StackUnderTest.Result up = stack.run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();

        JsonNode lineage = stack.awaitTerminal(slug, version, STAGE);
        assertThat(lineage.path("stages").findValuesAsText("stage")).contains("registered");
        JsonNode versions = stack.json("GET", stack.training() + "/models/" + slug + "/versions", null, 200);
        assertThat(versions.findValuesAsText("dataVersion")).containsExactly(version);
        JsonNode run = stack.json("GET", stack.training() + "/runs/" + running.path("id").asText(), null, 200);
        assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("attempts").asInt()).as("the killed attempt and the one after the restart").isEqualTo(2);
    }

    @Test
    @Order(5)
    void shouldPromoteOnceWhenTheDeployServiceIsKilledDuringAPromotion() throws Exception {
        String slug = createDataset("Deploy killed", Demo.pipeline());
        String version = commit(slug, sample(0, 120));
        stack.await(stack.datasets() + "/datasets/" + slug + "/versions/" + version + "/pipeline",
                l -> l.path("stages").findValuesAsText("stage").contains("registered"), STAGE);

        stack.kill("deploy-service"); // while it handles model.registered, or just after: the outcome must be the same
        StackUnderTest.Result up = stack.run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();

        JsonNode lineage = stack.awaitTerminal(slug, version, STAGE);
        Thread.sleep(3000); // room for a redelivery to (wrongly) promote again
        assertThat(stack.json("GET", stack.datasets() + "/datasets/" + slug + "/versions/" + version + "/pipeline", null, 200)
                .path("stages").findValuesAsText("stage")).containsOnlyOnce("promotion");
        assertThat(lineage.path("stages").findValuesAsText("status")).contains("promoted");
        JsonNode audit = stack.json("GET", stack.deploy() + "/models/" + slug + "/promotions", null, 200);
        assertThat(audit).hasSize(1);
        assertThat(stack.json("GET", stack.deploy() + "/models/" + slug + "/stages", null, 200).path("staging").path("version").asInt()).isEqualTo(1);
    }

    @Test
    @Order(6)
    void shouldFinishThePipelineWhenTheBrokerDiesBetweenACommitAndItsValidation() throws Exception {
        String slug = createDataset("Broker killed", Demo.pipeline());
        String version = commit(slug, sample(0, 120));

        stack.kill("infra"); // Kafka with it; PostgreSQL, a daemon, is stopped and restarted by the next up
        StackUnderTest.Result up = stack.run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();

        JsonNode stages = stack.awaitTerminal(slug, version, STAGE).path("stages");
        assertThat(stages.findValuesAsText("stage")).containsOnlyOnce("committed", "validation");
        assertThat(stages.findValuesAsText("status")).contains("passed");
        JsonNode versions = stack.json("GET", stack.training() + "/models/" + slug + "/versions", null, 200);
        assertThat(versions.findValuesAsText("dataVersion")).containsExactly(version);
    }

    @Test
    @Order(7)
    void shouldTakeFiftyConcurrentCommitsAcrossTenDatasetsEachThroughThePipelineOnce() throws Exception {
        List<String> slugs = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            slugs.add(createDataset("Load " + d, Demo.pipeline()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<List<String>>> commits = new ArrayList<>();
        for (String slug : slugs) {
            commits.add(pool.submit((Callable<List<String>>) () -> {
                List<String> versions = new ArrayList<>();
                for (int c = 0; c < 5; c++) {
                    versions.add(commit(slug, sample(c * 40, c * 40 + 60)));
                }
                return versions;
            }));
        }
        List<String[]> all = new ArrayList<>();
        for (int d = 0; d < slugs.size(); d++) {
            for (String version : commits.get(d).get(5, TimeUnit.MINUTES)) {
                all.add(new String[] {slugs.get(d), version});
            }
        }
        pool.shutdown();
        assertThat(all).hasSize(50);

        Map<String, List<String>> registered = new java.util.HashMap<>();
        for (String[] commit : all) {
            JsonNode stages = stack.awaitTerminal(commit[0], commit[1], Duration.ofMinutes(8)).path("stages");
            List<String> names = stages.findValuesAsText("stage");
            assertThat(names).as("%s@%s", commit[0], commit[1]).containsOnlyOnce("committed", "validation");
            if (names.contains("registered")) {
                assertThat(names).as("%s@%s", commit[0], commit[1]).containsOnlyOnce("training", "registered", "promotion");
                registered.computeIfAbsent(commit[0], k -> new ArrayList<>()).add(commit[1]);
            }
        }
        assertThat(registered.values().stream().mapToInt(List::size).sum()).as("versions trained").isGreaterThanOrEqualTo(40);
        for (String slug : slugs) {
            JsonNode versions = stack.json("GET", stack.training() + "/models/" + slug + "/versions", null, 200);
            assertThat(versions.findValuesAsText("dataVersion")).as(slug).containsExactlyInAnyOrderElementsOf(registered.get(slug));
        }
    }

    @Test
    @Order(8)
    void shouldCheckAPullRequestWithABranchCandidateAndPromoteOnlyWhenItIsMerged() throws Exception {
        String slug = createDataset("Pull demo", Demo.pipeline());
        String first = commit(slug, sample(0, 200));
        assertThat(stack.awaitTerminal(slug, first, STAGE).path("stages").findValuesAsText("status")).contains("promoted");
        io.dataline.client.DatasetHandle dataset = io.dataline.client.Dataline.connect(stack.datasets(), StackUnderTest.ADMIN_KEY).dataset(slug);
        dataset.createBranch("more-data", null);
        io.dataline.client.DatasetHandle branch = dataset.branch("more-data");
        String head = branch.add(sample(200, 300)).commit("100 more labelled records").hash();

        // the checks: the branch head's own run, a candidate evaluated against the staged v1 on the same held-out records
        io.dataline.client.PullRequestHandle pull = branch.openPullRequest("main", "More data", null);
        JsonNode checks = pull.awaitChecks(STAGE);
        assertThat(checks.path("state").asText()).as(checks.toString()).isEqualTo("success");
        assertThat(checks.path("head").asText()).isEqualTo(head);
        assertThat(checks.at("/validation/status").asText()).isEqualTo("passed");
        assertThat(checks.at("/model/detail/modelVersion").asInt()).isEqualTo(2);
        assertThat(checks.at("/model/detail/baselineVersion").asInt()).isEqualTo(1);
        assertThat(checks.at("/model/detail/baselineMetrics/accuracy").isNumber()).isTrue();
        assertThat(checks.at("/evaluation/stage").asText()).isEqualTo("candidate");
        assertThat(checks.path("summary").asText()).contains("against staged v1");
        // a candidate only: staging did not move, the registry names its branch
        JsonNode staging = stack.json("GET", stack.deploy() + "/models/" + slug + "/stages", null, 200).path("staging");
        assertThat(staging.path("version").asInt()).isEqualTo(1);
        assertThat(stack.json("GET", stack.training() + "/models/" + slug + "/versions/2", null, 200).path("branch").asText()).isEqualTo("more-data");

        // protected main waits for the checks (they succeeded): the merge runs main's pipeline once, and it promotes
        stack.json("PUT", stack.datasets() + "/datasets/" + slug + "/branches/main/protection", Map.of("requiredApprovals", 0, "requireChecks", true),
                200);
        assertThat(pull.merge(null).path("mergeVersion").asText()).isEqualTo(head);
        JsonNode onMain = stack.await(stack.datasets() + "/datasets/" + slug + "/versions/" + head + "/pipeline",
                l -> l.path("branch").asText().equals("main") && StackUnderTest.terminal(l), STAGE);
        assertThat(onMain.path("outcome").asText()).as(onMain.toString()).isEqualTo("promoted");
        assertThat(onMain.path("stages").findValuesAsText("stage").stream().filter("committed"::equals)).hasSize(1);
        staging = stack.json("GET", stack.deploy() + "/models/" + slug + "/stages", null, 200).path("staging");
        assertThat(staging.path("version").asInt()).isEqualTo(3);
        assertThat(staging.path("dataVersion").asText()).isEqualTo(head);
        JsonNode promotions = stack.json("GET", stack.deploy() + "/models/" + slug + "/promotions", null, 200);
        assertThat(promotions.findValues("version")).extracting(JsonNode::asInt).containsExactlyInAnyOrder(1, 3); // v3 once, never the candidate v2
    }

    private static String createDataset(String prefix, JsonNode pipeline) throws Exception {
        return stack.createDataset(prefix, pipeline);
    }

    private static String commit(String slug, List<?> records) throws Exception {
        return stack.commit(slug, records);
    }

    private static List<Map<String, Object>> sample(int from, int to) throws Exception {
        return StackUnderTest.sample(from, to);
    }
}
