package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.dataset.Api;
import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Covers branches and tags: a branch made from main stages and commits on its own (main's head, history and staging
 * area untouched), a commit to a branch starts its branch's pipeline ({@code dataset.committed} names the branch; main's
 * name it main), {@code expectedParent} guards the branch head, {@code versions?branch=} follows first parents, tags name
 * versions wherever a version is named, deleting a branch keeps its versions, and hostile names are refused with
 * nothing stored.
 */
@QuarkusTest
class BranchTest {

    @Inject
    TopicClient topics;

    private static String createBranch(String dataset, String name, String from) {
        return Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "from", from))
                .post("/datasets/{d}/branches", dataset).then().statusCode(201).body("name", equalTo(name)).extract().path("version");
    }

    private static String commitOn(String dataset, String branchPath, List<Map<String, Object>> records, String expectedParent) {
        Api.admin().contentType(ContentType.JSON).body(records).post("/datasets/" + dataset + "/branches/" + branchPath + "/records")
                .then().statusCode(200);
        Map<String, Object> body = expectedParent == null ? Map.of("message", "on " + branchPath)
                : Map.of("message", "on " + branchPath, "expectedParent", expectedParent);
        return Api.admin().contentType(ContentType.JSON).body(body).post("/datasets/" + dataset + "/branches/" + branchPath + "/commits")
                .then().statusCode(201).body("branch", equalTo(branchPath)).extract().path("hash");
    }

    private static String commitMain(String dataset, List<Map<String, Object>> records) {
        Api.stage(dataset, records).then().statusCode(200);
        return Api.commit(dataset, "on main").then().statusCode(201).body("branch", equalTo("main")).extract().path("hash");
    }

    @Test
    void shouldCommitOnABranchWithoutTouchingMainAndStartItsOwnPipeline() {
        String name = Api.uniqueName("Branches");
        String slug = Api.createFeedbackDataset(name);
        String base = commitMain(slug, List.of(Api.feedback("a", "one", "positive"), Api.feedback("b", "two", "negative")));
        assertThat(createBranch(slug, "relabel", "main")).isEqualTo(base);

        Api.stage(slug, List.of(Api.feedback("m", "staged on main", "positive"))).then().statusCode(200);
        String onBranch = commitOn(slug, "relabel", List.of(Api.feedback("b", "two", "positive"), Api.feedback("c", "three", "negative")), base);

        // main: head, history and staged area as they were
        Api.admin().get("/datasets/{d}", slug).then().body("head", equalTo(base));
        Api.admin().get("/datasets/{d}/staged", slug).then().body("upserts", equalTo(1));
        Api.admin().get("/datasets/{d}/versions", slug).then().body("versions.hash", equalTo(List.of(base))).body("total", equalTo(1));
        // the branch: its head moved, its history follows first parents back through main's
        Api.admin().get("/datasets/{d}/branches/relabel", slug).then().body("version", equalTo(onBranch)).body("createdFrom", equalTo("main"));
        Api.admin().get("/datasets/{d}/versions?branch=relabel", slug).then().body("versions.hash", equalTo(List.of(onBranch, base)))
                .body("total", equalTo(2));
        Api.admin().get("/datasets/{d}/versions/{v}", slug, onBranch).then().body("parent", equalTo(base)).body("added", equalTo(1))
                .body("updated", equalTo(1)).body("recordCount", equalTo(3));
        Api.admin().get("/datasets/{d}/branches", slug).then().body("name", equalTo(List.of("main", "relabel")))
                .body("version", equalTo(List.of(base, onBranch))).body("isDefault", equalTo(List.of(true, false)));

        // a stale expectedParent on the branch is a conflict; nothing is committed
        Api.admin().contentType(ContentType.JSON).body(List.of(Api.feedback("d", "four", "positive")))
                .post("/datasets/" + slug + "/branches/relabel/records").then().statusCode(200);
        Api.admin().contentType(ContentType.JSON).body(Map.of("message", "stale", "expectedParent", base))
                .post("/datasets/" + slug + "/branches/relabel/commits").then().statusCode(409).body("detail", containsString("relabel"));

        // every commit starts the pipeline of its branch: the event names it
        String mainNext = Api.commit(slug, "main moves on").then().statusCode(201).extract().path("hash");
        List<com.fasterxml.jackson.databind.JsonNode> published = topics.read(Topics.DATASET_COMMITTED, 3, r -> name.equals(r.key()),
                Duration.ofSeconds(30)).stream().map(r -> json(r.value())).toList();
        assertThat(published).extracting(e -> e.path("dataVersion").asText()).containsExactly(base, onBranch, mainNext);
        assertThat(published).extracting(e -> e.path("branch").asText()).containsExactly("main", "relabel", "main");
    }

    @Test
    void shouldNameVersionsWithTagsAndBranchesAndKeepVersionsOfADeletedBranch() {
        String slug = Api.createFeedbackDataset(Api.uniqueName("Tags"));
        String first = commitMain(slug, List.of(Api.feedback("a", "one", "positive")));
        String second = commitMain(slug, List.of(Api.feedback("b", "two", "negative")));
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", "q4-2023", "version", first)).post("/datasets/{d}/tags", slug)
                .then().statusCode(201).body("version", equalTo(first));

        Api.admin().get("/datasets/{d}/versions/q4-2023", slug).then().statusCode(200).body("hash", equalTo(first));
        Api.admin().accept("application/x-ndjson").get("/datasets/{d}/versions/q4-2023/records", slug).then().statusCode(200)
                .header("X-Dataline-Record-Count", "1");
        Api.admin().get("/datasets/{d}/diff?from=q4-2023&to=main", slug).then().statusCode(200).body("added", equalTo(List.of("b")));
        assertThat(createBranch(slug, "team/from-tag", "q4-2023")).isEqualTo(first);
        String onBranch = commitOn(slug, "team/from-tag", List.of(Api.feedback("z", "zed", "positive")), null);
        Api.admin().get("/datasets/" + slug + "/versions/team/from-tag").then().statusCode(404); // a version path takes one segment
        Api.admin().get("/datasets/{d}/diff?from=main&to=team/from-tag", slug).then().statusCode(200)
                .body("added", equalTo(List.of("z"))).body("removed", equalTo(List.of("b")));
        Api.admin().get("/datasets/{d}/tags", slug).then().body("name", equalTo(List.of("q4-2023")));
        Api.admin().delete("/datasets/{d}/tags/q4-2023", slug).then().statusCode(409);
        Api.admin().get("/datasets/{d}/tags/q4-2023", slug).then().statusCode(200).body("version", equalTo(first));

        Api.admin().delete("/datasets/" + slug + "/branches/team/from-tag").then().statusCode(200);
        Api.admin().get("/datasets/" + slug + "/branches/team/from-tag").then().statusCode(404);
        Api.admin().get("/datasets/{d}/versions/{v}", slug, onBranch).then().statusCode(200);
        Api.admin().delete("/datasets/{d}/branches/main", slug).then().statusCode(409);
        Api.admin().get("/datasets/{d}", slug).then().body("head", equalTo(second));
    }

    @Test
    void shouldRefuseASchemaThatABranchHeadBreaks() {
        String slug = Api.createFeedbackDataset(Api.uniqueName("Branch schema"));
        commitMain(slug, List.of(Api.feedback("a", "ok", "positive")));
        createBranch(slug, "long-texts", "main");
        commitOn(slug, "long-texts", List.of(Api.feedback("b", "a much longer text", "negative")), null);
        Map<String, Object> strict = Map.of("type", "object", "required", List.of("id", "feedback", "sentiment"),
                "properties", Map.of("id", Map.of("type", "string"), "feedback", Map.of("type", "string", "maxLength", 3),
                        "sentiment", Map.of("type", "string"), "category", Map.of("type", "string")));

        Api.admin().contentType(ContentType.JSON).body(strict).put("/datasets/{d}/schema", slug).then().statusCode(422)
                .body("errors.key", equalTo(List.of("b")));
        Api.admin().get("/datasets/{d}/schema", slug).then().body("properties.feedback.maxLength", equalTo(null));
    }

    @Test
    void shouldRefuseHostileOrTakenNamesAndStoreNothing() {
        String slug = Api.createFeedbackDataset(Api.uniqueName("Names"));
        String first = commitMain(slug, List.of(Api.feedback("a", "one", "positive")));
        createBranch(slug, "taken", "main");
        for (String bad : List.of("", "a b", "../etc", "a//b", "/lead", "trail/", "x".repeat(101), "a".repeat(64).replace('a', 'f'),
                "latest", "team/records", "semi;colon", "ünï", "new\nline", "main", "taken")) {
            int status = Api.admin().contentType(ContentType.JSON).body(Map.of("name", bad, "from", "main"))
                    .post("/datasets/{d}/branches", slug).then().extract().statusCode();
            assertThat(status).as("branch %s", bad).isIn(409, 422);
            int tagStatus = Api.admin().contentType(ContentType.JSON).body(Map.of("name", bad, "version", first))
                    .post("/datasets/{d}/tags", slug).then().extract().statusCode();
            assertThat(tagStatus).as("tag %s", bad).isIn(409, 422);
        }
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", "from-nowhere", "from", "no-such-ref"))
                .post("/datasets/{d}/branches", slug).then().statusCode(422);
        Api.admin().contentType(ContentType.JSON).body("{not json").post("/datasets/{d}/branches", slug).then().statusCode(400);
        Api.admin().contentType(ContentType.JSON).body(List.of(Api.feedback("x", "y", "positive")))
                .post("/datasets/" + slug + "/branches/missing/records").then().statusCode(404);
        Api.admin().contentType(ContentType.JSON).body(Map.of("message", "m")).post("/datasets/" + slug + "/branches/missing/commits")
                .then().statusCode(404);

        Api.admin().get("/datasets/{d}/branches", slug).then().body("name", equalTo(List.of("main", "taken")));
        Api.admin().get("/datasets/{d}/tags", slug).then().body("size()", equalTo(0));
        Api.admin().get("/datasets/{d}/versions", slug).then().body("total", equalTo(1));
    }

    @Test
    void shouldCommitABranchChangeSetAndAOneShotOnlyToItsBranch() {
        String slug = Api.createFeedbackDataset(Api.uniqueName("Branch sets"));
        String base = commitMain(slug, List.of(Api.feedback("a", "one", "positive")));
        createBranch(slug, "bulk", base);
        String set = Api.admin().post("/datasets/{d}/changesets?branch=bulk", slug).then().statusCode(201).body("branch", equalTo("bulk"))
                .extract().path("id");
        Api.admin().contentType(ContentType.JSON).body(List.of(Api.feedback("s", "from a set", "negative")))
                .post("/datasets/{d}/changesets/{c}/records", slug, set).then().statusCode(200);
        Api.admin().contentType(ContentType.JSON).body(Map.of("message", "wrong branch", "changeset", set))
                .post("/datasets/{d}/commits", slug).then().statusCode(201).body("branch", equalTo("bulk"));
        Api.admin().get("/datasets/{d}", slug).then().body("head", equalTo(base));

        String oneShot = Api.admin().contentType("application/x-ndjson").body(Api.ndjson(0, 5, "positive").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/datasets/" + slug + "/branches/bulk/commits?message=bulk%20load").then().statusCode(201)
                .body("branch", equalTo("bulk")).body("added", equalTo(5)).extract().path("hash");
        Api.admin().get("/datasets/{d}/branches/bulk", slug).then().body("version", equalTo(oneShot));
        Api.admin().get("/datasets/{d}/versions?branch=bulk", slug).then().body("total", equalTo(3));
        Api.admin().get("/datasets/{d}", slug).then().body("head", equalTo(base));
    }

    private static com.fasterxml.jackson.databind.JsonNode json(byte[] value) {
        try {
            return io.dataline.events.EventJson.mapper().readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
