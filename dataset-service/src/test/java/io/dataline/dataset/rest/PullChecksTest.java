package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.dataset.Api;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.GateResult;
import io.dataline.events.ModelCandidateEvaluatedEvent;
import io.dataline.events.ModelMetrics;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Covers a pull request's checks, fed by the pipeline's events for its branch: pending until the pipeline of the head
 * of {@code from} ends, then the validation verdict, the candidate model against the staged one and the gates' verdict;
 * {@code pull.checks-completed} once per head; a new commit on {@code from} makes them pending again; protection with
 * {@code requireChecks} refuses the merge until they succeed; and {@code pull.opened}, {@code pull.merged},
 * {@code pull.closed} on their topics.
 */
@QuarkusTest
class PullChecksTest {

    @Inject
    TopicClient topics;

    /** A feedback dataset whose pipeline trains, so its checks wait for the candidate's evaluation. */
    private static String trainedDataset(String name) {
        return Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "primaryKey", "id", "schema", Api.feedbackSchema(), "pipeline",
                Map.of("training", Map.of("labelField", "sentiment", "features", List.of(Map.of("field", "feedback", "type", "text"))))))
                .post("/datasets").then().statusCode(201).extract().path("slug");
    }

    /** One record on main, then a branch from it with a commit of its own: that commit's version. */
    private static String branchWithOneCommit(String slug, String branch) {
        Api.commitOn(slug, "main", List.of(Api.feedback("a", "one", "positive")));
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", branch, "from", "main")).post("/datasets/{d}/branches", slug)
                .then().statusCode(201);
        return Api.commitOn(slug, branch, List.of(Api.feedback("b", "two", "negative")));
    }

    private static String checksState(String slug, int number) {
        return Api.admin().get("/datasets/{d}/pulls/{n}/checks", slug, number).then().statusCode(200).extract().path("state");
    }

    /** The pipeline of a branch's version as the other services would announce it: validated, registered, evaluated. */
    private void pipelineRan(String name, String slug, String version, String branch, boolean passed) {
        Instant at = Instant.now();
        UUID validated = validated(name, slug, version, branch, at);
        UUID registered = UUID.randomUUID();
        registered(name, slug, version, branch, passed, at, validated, registered);
        evaluated(name, slug, version, branch, passed, at, registered);
    }

    private UUID validated(String name, String slug, String version, String branch, Instant at) {
        UUID validated = UUID.randomUUID();
        topics.publish(Topics.DATASET_VALIDATED, new DatasetValidatedEvent(validated, at, name, slug, version, UUID.randomUUID(), "validation-service",
                1, "http://127.0.0.1:8081/reports/" + slug + "/" + version, 7, List.of(), branch));
        return validated;
    }

    private void registered(String name, String slug, String version, String branch, boolean passed, Instant at, UUID validated, UUID registered) {
        topics.publish(Topics.MODEL_REGISTERED, new ModelRegisteredEvent(registered, at.plusMillis(1), name, slug, version, validated,
                "training-orchestrator", "run-" + version.substring(0, 8), slug, 5, new ModelMetrics(passed ? 0.9 : 0.7, 0.8, 0.4), 4,
                new ModelMetrics(0.85, 0.8, 0.4), "http://127.0.0.1:8082/models/" + slug + "/versions/5/artifact", "ab".repeat(32), 1, branch));
    }

    private void evaluated(String name, String slug, String version, String branch, boolean passed, Instant at, UUID registered) {
        topics.publish(Topics.MODEL_CANDIDATE_EVALUATED, new ModelCandidateEvaluatedEvent(UUID.randomUUID(), at.plusMillis(2), name, slug, version,
                registered, "deploy-service", slug, 5, "staging", 4, passed, List.of(new GateResult("accuracy", "maxRegression", 0.01,
                        passed ? 0.05 : -0.15, passed)), passed ? null : "accuracy regressed by 0.15 (maxRegression 0.01)", branch));
    }

    /**
     * The candidate's verdict and its registration are on different topics, so the verdict can be recorded first: the
     * checks stay pending until the model they are about is recorded too, and are announced once, with it.
     */
    @Test
    void shouldWaitForTheCandidatesRegistrationWhenItsVerdictArrivesFirst() {
        String name = Api.uniqueName("Pull verdict first");
        String slug = trainedDataset(name);
        String head = branchWithOneCommit(slug, "more");
        int number = Api.admin().contentType(ContentType.JSON).body(Map.of("from", "more", "into", "main", "title", "More"))
                .post("/datasets/{d}/pulls", slug).then().statusCode(201).extract().path("number");
        Instant at = Instant.now();
        UUID validated = validated(name, slug, head, "more", at);
        UUID registered = UUID.randomUUID();

        evaluated(name, slug, head, "more", true, at, registered);
        await().atMost(Duration.ofSeconds(30)).until(() -> Api.admin().get("/datasets/{d}/versions/{v}/pipeline", slug, head).then()
                .extract().<List<String>>path("stages.stage").contains("candidate"));
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", slug, head).then().body("complete", equalTo(false));
        Api.admin().get("/datasets/{d}/pulls/{n}/checks", slug, number).then().body("state", equalTo("pending"));

        registered(name, slug, head, "more", true, at, validated, registered);
        await().atMost(Duration.ofSeconds(30)).until(() -> checksState(slug, number).equals("success"));
        List<JsonNode> completed = read(Topics.PULL_CHECKS_COMPLETED, name, 1);
        assertThat(completed).hasSize(1);
        assertThat(completed.get(0).path("summary").asText()).contains("candidate " + slug + " v5 passed the promotion gates against staged v4");
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", slug, head).then().body("complete", equalTo(true)).body("outcome", equalTo("passed"));
    }

    private List<JsonNode> read(String topic, String name, int count) {
        return topics.read(topic, count, r -> name.equals(r.key()), Duration.ofSeconds(30)).stream().map(r -> json(r.value())).toList();
    }

    @Test
    void shouldRunTheChecksOnTheHeadOfFromAndHoldTheMergeUntilTheySucceed() {
        String name = Api.uniqueName("Pull checks");
        String slug = trainedDataset(name);
        Api.commitOn(slug, "main", List.of(Api.feedback("a", "one", "positive"), Api.feedback("b", "two", "negative")));
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", "relabel", "from", "main")).post("/datasets/{d}/branches", slug)
                .then().statusCode(201);
        String head = Api.commitOn(slug, "relabel", List.of(Api.feedback("b", "two", "positive")));
        Api.admin().contentType(ContentType.JSON).body(Map.of("requiredApprovals", 0, "requireChecks", true))
                .put("/datasets/{d}/branches/main/protection", slug).then().statusCode(200).body("requireChecks", equalTo(true));
        Api.admin().get("/datasets/{d}/branches/main/protection", slug).then().body("requireChecks", equalTo(true));
        int number = Api.admin().contentType(ContentType.JSON).body(Map.of("from", "relabel", "into", "main", "title", "Relabel b"))
                .post("/datasets/{d}/pulls", slug).then().statusCode(201).extract().path("number");

        JsonNode opened = read(Topics.PULL_OPENED, name, 1).get(0);
        assertThat(opened.path("number").asInt()).isEqualTo(number);
        assertThat(opened.path("dataVersion").asText()).isEqualTo(head);
        assertThat(opened.path("from").asText()).isEqualTo("relabel");

        // pending: the merge waits for the checks
        Api.admin().get("/datasets/{d}/pulls/{n}/checks", slug, number).then().statusCode(200).body("state", equalTo("pending"))
                .body("head", equalTo(head)).body("from", equalTo("relabel"));
        Api.admin().post("/datasets/{d}/pulls/{n}/merge", slug, number).then().statusCode(409).body("detail", containsString("requires successful checks"));

        // the candidate fails its gates: failure, announced once, merge still refused
        pipelineRan(name, slug, head, "relabel", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> checksState(slug, number).equals("failure"));
        Api.admin().get("/datasets/{d}/pulls/{n}/checks", slug, number).then().body("outcome", equalTo("rejected"))
                .body("validation.status", equalTo("passed")).body("model.detail.modelVersion", equalTo(5))
                .body("model.detail.baselineVersion", equalTo(4)).body("evaluation.stage", equalTo("candidate"))
                .body("evaluation.detail.passed", equalTo(false)).body("summary", containsString("failed the promotion gates against staged v4"));
        JsonNode failed = read(Topics.PULL_CHECKS_COMPLETED, name, 1).get(0);
        assertThat(failed.path("state").asText()).isEqualTo("failure");
        assertThat(failed.path("dataVersion").asText()).isEqualTo(head);
        Api.admin().get("/datasets/{d}/pulls/{n}", slug, number).then().body("blockers[0]", containsString("requires successful checks"));
        Api.admin().post("/datasets/{d}/pulls/{n}/merge", slug, number).then().statusCode(409);
        // the staging view of main is untouched: main's head never ran these stages
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", slug, head).then().body("branch", equalTo("relabel"));

        // a new commit on "from" re-runs the checks: pending again, then success
        String fixed = Api.commitOn(slug, "relabel", List.of(Api.feedback("c", "three", "positive")));
        Api.admin().get("/datasets/{d}/pulls/{n}/checks", slug, number).then().body("state", equalTo("pending")).body("head", equalTo(fixed));
        pipelineRan(name, slug, fixed, "relabel", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> checksState(slug, number).equals("success"));
        Api.admin().get("/datasets/{d}/pulls/{n}/checks", slug, number).then().body("outcome", equalTo("passed"))
                .body("summary", containsString("passed the promotion gates against staged v4 (accuracy 0.900 vs 0.850)"));
        List<JsonNode> completed = read(Topics.PULL_CHECKS_COMPLETED, name, 2);
        assertThat(completed).extracting(e -> e.path("state").asText()).containsExactly("failure", "success");
        assertThat(completed.get(1).path("dataVersion").asText()).isEqualTo(fixed);

        // merged: main moves, main's pipeline is started for the head, pull.merged says so
        Api.admin().post("/datasets/{d}/pulls/{n}/merge", slug, number).then().statusCode(200).body("mergeVersion", equalTo(fixed));
        JsonNode merged = read(Topics.PULL_MERGED, name, 1).get(0);
        assertThat(merged.path("dataVersion").asText()).isEqualTo(fixed);
        assertThat(merged.path("fastForward").asBoolean()).isTrue();
        assertThat(merged.path("branch").asText()).isEqualTo("main");
        // the version's lineage is main's run now (just started), not the branch's run that ended
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", slug, fixed).then().body("branch", equalTo("main"));
        List<JsonNode> committed = read(Topics.DATASET_COMMITTED, name, 4);
        assertThat(committed.get(3).path("dataVersion").asText()).isEqualTo(fixed);
        assertThat(committed.get(3).path("branch").asText()).isEqualTo("main");
        // the checks of a merged pull request stay those of the head it merged
        Api.admin().get("/datasets/{d}/pulls/{n}/checks", slug, number).then().body("state", equalTo("success")).body("head", equalTo(fixed));
    }

    @Test
    void shouldAnnounceAClosedPullRequestAndChecksThatEndedBeforeItOpened() {
        String name = Api.uniqueName("Pull closed");
        String slug = trainedDataset(name);
        String head = branchWithOneCommit(slug, "try");
        pipelineRan(name, slug, head, "try", true);
        await().atMost(Duration.ofSeconds(30)).until(() -> Api.admin().get("/datasets/{d}/versions/{v}/pipeline", slug, head).path("complete"));

        int number = Api.admin().contentType(ContentType.JSON).body(Map.of("from", "try", "into", "main", "title", "Try"))
                .post("/datasets/{d}/pulls", slug).then().statusCode(201).extract().path("number");
        JsonNode completed = read(Topics.PULL_CHECKS_COMPLETED, name, 1).get(0);
        assertThat(completed.path("state").asText()).isEqualTo("success");
        assertThat(completed.path("number").asInt()).isEqualTo(number);

        Api.admin().post("/datasets/{d}/pulls/{n}/close", slug, number).then().statusCode(200).body("state", equalTo("closed"));
        JsonNode closed = read(Topics.PULL_CLOSED, name, 1).get(0);
        assertThat(closed.path("number").asInt()).isEqualTo(number);
        assertThat(closed.path("dataVersion").asText()).isEqualTo(head);
        Api.admin().get("/datasets/{d}/pulls/{n}/checks", slug, 99).then().statusCode(404);
    }

    private static JsonNode json(byte[] value) {
        try {
            return EventJson.mapper().readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
