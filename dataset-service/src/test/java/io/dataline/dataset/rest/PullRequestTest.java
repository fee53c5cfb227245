package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.dataline.dataset.Api;
import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Covers pull requests: a fast-forward merge moves main to the branch head and publishes that version once more, for
 * main (main's pipeline runs once for it, after the branch's own run); a three-way merge by key makes a version with two parents holding both sides' changes;
 * a key changed differently is a conflict (409, listed with the three records) until a resolution picks a side; and
 * requests that make no sense are refused with nothing changed.
 */
@QuarkusTest
@SuppressWarnings("unchecked")
class PullRequestTest {

    @Inject
    TopicClient topics;

    private static String commit(String dataset, String branch, List<Map<String, Object>> records) {
        return Api.commitOn(dataset, branch, records);
    }

    private static void branch(String dataset, String name) {
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "from", "main")).post("/datasets/{d}/branches", dataset)
                .then().statusCode(201);
    }

    private static int open(String dataset, String from, String title) {
        return Api.admin().contentType(ContentType.JSON).body(Map.of("from", from, "into", "main", "title", title))
                .post("/datasets/{d}/pulls", dataset).then().statusCode(201).body("state", equalTo("open")).extract().path("number");
    }

    private static io.restassured.response.Response merge(String dataset, int number, Object body) {
        return Api.admin().contentType(ContentType.JSON).body(body).post("/datasets/{d}/pulls/{n}/merge", dataset, number);
    }

    private List<String> published(String name, int count) {
        return topics.read(Topics.DATASET_COMMITTED, count, r -> name.equals(r.key()), Duration.ofSeconds(30)).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void shouldFastForwardMainAndRunItsPipelineOnceForTheNewHead() {
        String name = Api.uniqueName("Pull FF");
        String slug = Api.createFeedbackDataset(name);
        String base = commit(slug, "main", List.of(Api.feedback("a", "one", "positive"), Api.feedback("b", "two", "negative")));
        branch(slug, "relabel");
        commit(slug, "relabel", List.of(Api.feedback("b", "two", "positive")));
        String head = commit(slug, "relabel", List.of(Api.feedback("c", "three", "negative")));
        int number = open(slug, "relabel", "Relabel b, add c");

        Api.admin().get("/datasets/{d}/pulls/{n}", slug, number).then().body("fromHead", equalTo(head)).body("intoHead", equalTo(base))
                .body("mergeBase", equalTo(base)).body("title", equalTo("Relabel b, add c"));
        Api.admin().get("/datasets/{d}/pulls/{n}/diff", slug, number).then().body("added", equalTo(List.of("c")))
                .body("changed", equalTo(List.of("b"))).body("removedCount", equalTo(0)).body("schema.baseVersion", equalTo(1))
                .body("schema.headVersion", equalTo(1)).body("schema.added", equalTo(List.of())).body("record", nullValue());
        // one key, field by field
        Api.admin().get("/datasets/{d}/pulls/{n}/diff?key=b", slug, number).then().body("record.key", equalTo("b"))
                .body("record.base.sentiment", equalTo("negative")).body("record.head.sentiment", equalTo("positive"))
                .body("record.fields.field", equalTo(List.of("sentiment"))).body("record.fields[0].base", equalTo("negative"));
        Api.admin().get("/datasets/{d}/pulls/{n}/diff?key=c", slug, number).then().body("record.base", nullValue())
                .body("record.fields.field", equalTo(List.of("category", "feedback", "id", "sentiment")));
        Api.admin().get("/datasets/{d}/pulls/{n}/conflicts", slug, number).then().body("size()", equalTo(0));
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", slug, head).then().body("branch", equalTo("relabel"))
                .body("pullRequest", equalTo(number));
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", slug, base).then().body("branch", equalTo("main"))
                .body("pullRequest", nullValue());

        Api.admin().body("{not json").contentType(ContentType.JSON).post("/datasets/{d}/pulls/{n}/merge", slug, number).then().statusCode(400);
        Api.admin().post("/datasets/{d}/pulls/{n}/merge", slug, number).then().statusCode(200) // no body, no content type
                .body("state", equalTo("merged")).body("mergeVersion", equalTo(head));
        Api.admin().get("/datasets/{d}", slug).then().body("head", equalTo(head));
        Api.admin().get("/datasets/{d}/versions", slug).then().body("total", equalTo(3)).body("versions[0].hash", equalTo(head))
                .body("versions[2].hash", equalTo(base));
        List<String> events = published(name, 4); // base on main, the two branch commits on relabel, then head on main
        assertThat(events.get(0)).contains(base).contains("\"branch\":\"main\"");
        assertThat(events.get(2)).contains(head).contains("\"branch\":\"relabel\"");
        assertThat(events.get(3)).contains(head).contains("\"branch\":\"main\"");
        merge(slug, number, Map.of()).then().statusCode(409).body("detail", containsString("merged"));
        Api.admin().get("/datasets/{d}/pulls?state=merged", slug).then().body("number", equalTo(List.of(number)));
    }

    @Test
    void shouldShowTheSchemaChangesOfAPullRequest() {
        String slug = Api.createFeedbackDataset(Api.uniqueName("Pull schema"));
        commit(slug, "main", List.of(Api.feedback("a", "one", "positive")));
        branch(slug, "rated");
        Map<String, Object> schema = new java.util.LinkedHashMap<>(Api.feedbackSchema());
        Map<String, Object> properties = new java.util.LinkedHashMap<>((Map<String, Object>) schema.get("properties"));
        properties.remove("score");
        properties.put("rating", Map.of("type", "integer", "minimum", 1, "maximum", 5));
        properties.put("category", Map.of("type", "string", "maxLength", 40));
        schema.put("properties", properties);
        Api.admin().contentType(ContentType.JSON).body(schema).put("/datasets/{d}/schema", slug).then().statusCode(200);
        commit(slug, "rated", List.of(Map.of("id", "b", "feedback", "two", "sentiment", "negative", "rating", 2)));
        int number = open(slug, "rated", "Ratings");

        Api.admin().get("/datasets/{d}/pulls/{n}/diff", slug, number).then().body("schema.baseVersion", equalTo(1))
                .body("schema.headVersion", equalTo(2)).body("schema.added", equalTo(List.of("rating")))
                .body("schema.removed", equalTo(List.of("score"))).body("schema.changed", equalTo(List.of("category")))
                .body("schema.requiredChanged", equalTo(false));
        Api.admin().queryParam("key", "k".repeat(2000)).get("/datasets/{d}/pulls/{n}/diff", slug, number).then().statusCode(422)
                .body("errors[0].pointer", equalTo("/query/key"));
    }

    @Test
    void shouldMergeBothSidesChangesIntoAVersionWithTwoParents() {
        String name = Api.uniqueName("Pull 3way");
        String slug = Api.createFeedbackDataset(name);
        commit(slug, "main", List.of(Api.feedback("a", "one", "positive"), Api.feedback("b", "two", "negative")));
        branch(slug, "more");
        String branchHead = commit(slug, "more", List.of(Api.feedback("c", "three", "positive")));
        String mainHead = commit(slug, "main", List.of(Api.feedback("a", "one, edited", "positive")));
        int number = open(slug, "more", "Add c");

        String merged = merge(slug, number, Map.of()).then().statusCode(200).body("state", equalTo("merged")).extract().path("mergeVersion");
        Api.admin().get("/datasets/{d}/versions/{v}", slug, merged).then().body("parent", equalTo(mainHead))
                .body("mergeParent", equalTo(branchHead)).body("branch", equalTo("main")).body("added", equalTo(1))
                .body("recordCount", equalTo(3)).body("message", containsString("#" + number));
        Api.admin().get("/datasets/{d}/versions/{v}/pipeline", slug, merged).then().body("branch", equalTo("main"))
                .body("pullRequest", equalTo(number));
        String records = Api.admin().accept("application/x-ndjson").get("/datasets/{d}/versions/{v}/records", slug, merged).asString();
        assertThat(records).contains("one, edited").contains("\"c\"");
        Api.admin().get("/datasets/{d}/versions", slug).then().body("versions[0].hash", equalTo(merged));
        assertThat(published(name, 4).get(3)).contains(merged).contains("\"branch\":\"main\"");
    }

    @Test
    void shouldStopAtAConflictUntilAResolutionPicksASide() {
        String slug = Api.createFeedbackDataset(Api.uniqueName("Pull conflict"));
        commit(slug, "main", List.of(Api.feedback("a", "one", "positive"), Api.feedback("b", "two", "negative")));
        branch(slug, "relabel");
        commit(slug, "relabel", List.of(Api.feedback("a", "one", "negative"), Api.feedback("c", "new", "positive")));
        String mainHead = commit(slug, "main", List.of(Api.feedback("a", "one", "neutral")));
        int number = open(slug, "relabel", "Relabel a");

        merge(slug, number, Map.of()).then().statusCode(409).body("detail", containsString("1 key(s) changed differently"));
        Api.admin().get("/datasets/{d}/pulls/{n}/conflicts", slug, number).then().body("key", equalTo(List.of("a")))
                .body("[0].base.sentiment", equalTo("positive")).body("[0].into.sentiment", equalTo("neutral"))
                .body("[0].from.sentiment", equalTo("negative"));
        Api.admin().get("/datasets/{d}", slug).then().body("head", equalTo(mainHead));
        merge(slug, number, Map.of("resolutions", Map.of("a", "sideways"))).then().statusCode(422);
        Api.admin().contentType(ContentType.JSON).body("{\"resolutions\": {\"a\": \"" + "x".repeat(1 << 20) + "\"}}")
                .post("/datasets/{d}/pulls/{n}/merge", slug, number).then().statusCode(413).contentType("application/problem+json");

        String merged = merge(slug, number, Map.of("resolutions", Map.of("a", "from"))).then().statusCode(200).extract().path("mergeVersion");
        String records = Api.admin().accept("application/x-ndjson").get("/datasets/{d}/versions/{v}/records", slug, merged).asString();
        assertThat(records).contains("\"negative\"").doesNotContain("neutral").contains("\"c\"");
    }

    private static String key(String name, String scope) {
        return Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "scopes", List.of(scope))).post("/api-keys")
                .then().statusCode(201).extract().path("key");
    }

    @Test
    void shouldMoveAProtectedMainOnlyByAPullRequestWithFreshApprovals() {
        String name = Api.uniqueName("Pull protected");
        String slug = Api.createFeedbackDataset(name);
        String base = commit(slug, "main", List.of(Api.feedback("a", "one", "positive")));
        String author = key("author-" + name, "write");
        String reviewer = key("reviewer-" + name, "write");
        Api.as(author).contentType(ContentType.JSON).body(Map.of("requiredApprovals", 1)).put("/datasets/{d}/branches/main/protection", slug)
                .then().statusCode(403);
        Api.admin().contentType(ContentType.JSON).body(Map.of("requiredApprovals", 11, "requireChecks", true))
                .put("/datasets/{d}/branches/main/protection", slug).then().statusCode(422);
        Api.admin().contentType(ContentType.JSON).body(Map.of("requiredApprovals", 1)).put("/datasets/{d}/branches/main/protection", slug)
                .then().statusCode(200).body("requiredApprovals", equalTo(1));

        // direct commits to main are refused, staged or one-shot; nothing moves
        Api.stage(slug, List.of(Api.feedback("x", "direct", "negative"))).then().statusCode(200);
        Api.commit(slug, "direct").then().statusCode(409).body("detail", containsString("protected"));
        Api.admin().contentType("application/x-ndjson").body(Api.ndjson(0, 2, "positive").getBytes(StandardCharsets.UTF_8))
                .post("/datasets/{d}/commits?message=direct", slug).then().statusCode(409);
        Api.admin().delete("/datasets/{d}/staged", slug).then().statusCode(200);
        Api.admin().get("/datasets/{d}", slug).then().body("head", equalTo(base));

        branch(slug, "fix");
        commit(slug, "fix", List.of(Api.feedback("b", "two", "negative")));
        int number = Api.as(author).contentType(ContentType.JSON).body(Map.of("from", "fix", "into", "main", "title", "Add b"))
                .post("/datasets/{d}/pulls", slug).then().statusCode(201).extract().path("number");
        merge(slug, number, Map.of()).then().statusCode(409).body("detail", containsString("0 given"));
        Api.admin().get("/datasets/{d}/pulls/{n}", slug, number).then().body("blockers.size()", equalTo(1))
                .body("blockers[0]", containsString("0 given"));
        Api.admin().get("/datasets/{d}/branches/main", slug).then().body("requiredApprovals", equalTo(1));
        Api.as(author).contentType(ContentType.JSON).body(Map.of("verdict", "approve")).post("/datasets/{d}/pulls/{n}/reviews", slug, number)
                .then().statusCode(403);
        Api.as(reviewer).contentType(ContentType.JSON).body(Map.of("verdict", "lgtm")).post("/datasets/{d}/pulls/{n}/reviews", slug, number)
                .then().statusCode(422);
        Api.as(reviewer).contentType(ContentType.JSON).body(Map.of("verdict", "request-changes", "comment", "b is not negative"))
                .post("/datasets/{d}/pulls/{n}/reviews", slug, number).then().statusCode(201);
        merge(slug, number, Map.of()).then().statusCode(409).body("detail", containsString("requested changes"));

        Api.as(reviewer).contentType(ContentType.JSON).body(Map.of("verdict", "approve")).post("/datasets/{d}/pulls/{n}/reviews", slug, number)
                .then().statusCode(201);
        String newHead = commit(slug, "fix", List.of(Api.feedback("b", "two", "positive"))); // the approval was of the old head
        merge(slug, number, Map.of()).then().statusCode(409).body("detail", containsString("0 given"));
        Api.as(reviewer).contentType(ContentType.JSON).body(Map.of("verdict", "approve")).post("/datasets/{d}/pulls/{n}/reviews", slug, number)
                .then().statusCode(201).body("reviewedVersion", equalTo(newHead));
        Api.admin().get("/datasets/{d}/pulls/{n}/reviews", slug, number).then().body("verdict", equalTo(List.of("approve")));

        Api.admin().get("/datasets/{d}/pulls/{n}", slug, number).then().body("blockers.size()", equalTo(0));
        merge(slug, number, Map.of()).then().statusCode(200).body("mergeVersion", equalTo(newHead));
        Api.admin().get("/datasets/{d}", slug).then().body("head", equalTo(newHead));
        Api.admin().contentType(ContentType.JSON).body(Map.of("requiredApprovals", 0)).put("/datasets/{d}/branches/fix/protection", slug)
                .then().statusCode(200);
        Api.admin().delete("/datasets/{d}/branches/fix", slug).then().statusCode(409).body("detail", containsString("protected"));
        Api.admin().delete("/datasets/{d}/branches/main/protection", slug).then().statusCode(204);
        Api.commit(slug, "nothing staged").then().statusCode(422);
    }

    @Test
    void shouldRefuseWhatMakesNoSenseAndChangeNothing() {
        String slug = Api.createFeedbackDataset(Api.uniqueName("Pull refused"));
        String base = commit(slug, "main", List.of(Api.feedback("a", "one", "positive")));
        branch(slug, "idle");
        Api.admin().contentType(ContentType.JSON).body(Map.of("from", "main", "into", "main", "title", "t")).post("/datasets/{d}/pulls", slug)
                .then().statusCode(422);
        Api.admin().contentType(ContentType.JSON).body(Map.of("from", "nope", "into", "main", "title", "t")).post("/datasets/{d}/pulls", slug)
                .then().statusCode(404);
        Api.admin().contentType(ContentType.JSON).body(Map.of("from", "idle", "into", "main", "title", " ")).post("/datasets/{d}/pulls", slug)
                .then().statusCode(422);
        Api.admin().contentType(ContentType.JSON).body("{").post("/datasets/{d}/pulls", slug).then().statusCode(400);
        int idle = open(slug, "idle", "Nothing in it");
        merge(slug, idle, Map.of()).then().statusCode(409).body("detail", containsString("nothing to merge"));
        Api.admin().post("/datasets/{d}/pulls/{n}/close", slug, idle).then().statusCode(200).body("state", equalTo("closed"))
                .body("fromHead", nullValue());
        merge(slug, idle, Map.of()).then().statusCode(409);
        Api.admin().get("/datasets/{d}/pulls/99", slug).then().statusCode(404);
        Api.admin().get("/datasets/{d}/pulls?state=weird", slug).then().statusCode(422);
        Api.admin().get("/datasets/{d}", slug).then().body("head", equalTo(base));
    }
}
