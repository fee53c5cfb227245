package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import io.dataline.dataset.Api;
import io.dataline.dataset.ChunkRepository;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Covers commits: the answer's fields and counts, the head moving, history newest first, versions by hash and
 * {@code latest}; a stale {@code expectedParent} is 409 and changes nothing; an {@code Idempotency-Key} retry returns
 * the first answer (and a different request under the same key is refused); each commit pins the pipeline revision
 * in force; concurrent commits serialize so every staged change lands in exactly one commit.
 */
@QuarkusTest
class CommitTest {

    @Inject
    ChunkRepository chunks;

    @Test
    void shouldCommitStagedChangesAsANewVersion() {
        String name = Api.newFeedbackDataset("Commits");
        Api.stage(name, List.of(Api.feedback("usr_125", "The new UI is fantastic!", "positive"),
                Api.feedback("usr_126", "My login is not working.", "negative"))).then().statusCode(200);

        String first = Api.admin().contentType(ContentType.JSON)
                .body(Map.of("message", "Added Q4 2023 feedback data", "author", "ingest-bot", "codeCommit", "4e1f2a9"))
                .post("/datasets/{d}/commits", name).then().statusCode(201)
                .body("hash", matchesPattern("[0-9a-f]{64}")).body("dataHash", matchesPattern("[0-9a-f]{64}"))
                .body("parent", nullValue()).body("message", equalTo("Added Q4 2023 feedback data")).body("author", equalTo("ingest-bot"))
                .body("recordCount", equalTo(2)).body("added", equalTo(2)).body("updated", equalTo(0)).body("deleted", equalTo(0))
                .body("pipelineRevision", equalTo(1)).body("codeCommit", equalTo("4e1f2a9"))
                .extract().path("hash");

        Api.stage(name, List.of(Api.feedback("usr_125", "The new UI is great", "positive"), Api.feedback("usr_127", "Meh", "neutral")))
                .then().statusCode(200);
        Api.admin().delete("/datasets/{d}/records/{k}", name, "usr_126").then().statusCode(204);
        String second = Api.commit(name, "Second").then().statusCode(201)
                .body("parent", equalTo(first)).body("recordCount", equalTo(2))
                .body("added", equalTo(1)).body("updated", equalTo(1)).body("deleted", equalTo(1))
                .body("author", equalTo("admin"))
                .extract().path("hash");

        Api.admin().get("/datasets/{d}", name).then().body("head", equalTo(second));
        Api.admin().get("/datasets/{d}/versions", name).then().statusCode(200)
                .body("versions.hash", equalTo(List.of(second, first))).body("total", equalTo(2));
        Api.admin().get("/datasets/{d}/versions?size=1&page=1", name).then().body("versions.hash", equalTo(List.of(first)));
        Api.admin().get("/datasets/{d}/versions?size=0", name).then().statusCode(422);
        Api.admin().get("/datasets/{d}/versions/latest", name).then().body("hash", equalTo(second));
        Api.admin().get("/datasets/{d}/versions/{v}", name, first).then().statusCode(200).body("recordCount", equalTo(2));
        Api.admin().get("/datasets/{d}/versions/{v}", name, "f".repeat(64)).then().statusCode(404).contentType("application/problem+json");
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0)).body("deletes", equalTo(0));
    }

    @Test
    void shouldRefuseAStaleParentAndChangeNothing() {
        String name = Api.newFeedbackDataset("Stale Parent");
        String head = Api.commitOne(name, "first");
        Api.stage(name, List.of(Api.feedback("b", "y", "negative"))).then().statusCode(200);

        Api.admin().contentType(ContentType.JSON).body(Map.of("message", "late", "expectedParent", "0".repeat(64)))
                .post("/datasets/{d}/commits", name).then().statusCode(409).contentType("application/problem+json");
        Api.admin().contentType(ContentType.JSON).body(Map.of("message", "late", "expectedParent", "not-a-hash"))
                .post("/datasets/{d}/commits", name).then().statusCode(422);
        Api.admin().contentType(ContentType.JSON).body(Map.of("author", "no message"))
                .post("/datasets/{d}/commits", name).then().statusCode(422);

        Api.admin().get("/datasets/{d}", name).then().body("head", equalTo(head));
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(1));
        Api.admin().contentType(ContentType.JSON).body(Map.of("message", "on time", "expectedParent", head))
                .post("/datasets/{d}/commits", name).then().statusCode(201).body("parent", equalTo(head));
    }

    /**
     * The nodes a commit wrote are what the dataset's next commit reads first (its head's root and index nodes, the leaves
     * it touches again): kept in memory, none of them is fetched from the database again.
     */
    @Test
    void shouldReadTheNodesItsLastCommitWroteWithoutFetchingThem() {
        String name = Api.newFeedbackDataset("Kept writes");
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            records.add(Api.feedback("k" + i, "text " + i, i % 2 == 0 ? "positive" : "negative"));
        }
        Api.stage(name, records).then().statusCode(200);
        Api.commit(name, "load").then().statusCode(201);
        Api.stage(name, List.of(Api.feedback("k1500", "changed", "negative"), Api.feedback("k2999", "changed too", "positive"))).then().statusCode(200);

        String timing = Api.commit(name, "two changes").then().statusCode(201).extract().header("Server-Timing");

        assertThat(timing).contains("chunk-fetches;desc=\"0\"").doesNotContain("chunk-reads;desc=\"0\"");
    }

    /**
     * Staging reads the head's leaves of the keys it stages, the very leaves the commit then rewrites: kept in memory
     * for it. Two datasets of the same records get the same two changes; in one the cache is emptied between staging
     * and commit, and that commit fetches every node on the changes' paths, where the other fetches at most the leaves
     * past the changed ones that a re-cut runs on into (which nobody read before).
     */
    @Test
    void shouldFindTheLeavesItsStagingReadInMemory() {
        long emptied = fetchesOfACommitAfterStaging("Emptied reads", true);
        long kept = fetchesOfACommitAfterStaging("Kept reads", false);

        assertThat(emptied).isGreaterThanOrEqualTo(5); // the root's children on two paths, two leaves, more
        assertThat(kept).isLessThanOrEqualTo(emptied - 4);
    }

    private long fetchesOfACommitAfterStaging(String dataset, boolean emptyTheCache) {
        String name = Api.newFeedbackDataset(dataset);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            records.add(Api.feedback("k" + i, "text " + i, i % 2 == 0 ? "positive" : "negative"));
        }
        Api.stage(name, records).then().statusCode(200);
        Api.commit(name, "load").then().statusCode(201);
        chunks.clearCache();
        Api.stage(name, List.of(Api.feedback("k700", "changed", "negative"), Api.feedback("k2100", "changed too", "positive"))).then().statusCode(200);
        if (emptyTheCache) {
            chunks.clearCache();
        }
        String timing = Api.commit(name, "two changes").then().statusCode(201).extract().header("Server-Timing");
        java.util.regex.Matcher fetches = java.util.regex.Pattern.compile("chunk-fetches;desc=\"([0-9]+)\"").matcher(timing);
        assertThat(fetches.find()).as(timing).isTrue();
        return Long.parseLong(fetches.group(1));
    }

    @Test
    void shouldAnswerARetriedCommitWithTheFirstAnswer() {
        String name = Api.newFeedbackDataset("Idempotent");
        Api.stage(name, List.of(Api.feedback("a", "x", "positive"))).then().statusCode(200);
        Map<String, Object> body = Map.of("message", "once");

        String first = Api.admin().header("Idempotency-Key", "retry-1").contentType(ContentType.JSON).body(body)
                .post("/datasets/{d}/commits", name).then().statusCode(201).header("Idempotent-Replayed", "false")
                // the commit's own time and chunk I/O (it reads at least its new root back to count the records), and
                // the time of it spent waiting for chunk fetches and writes, and what the inserts took
                .header("Server-Timing", org.hamcrest.Matchers.matchesPattern(
                        "commit;dur=[0-9]+\\.[0-9]{3}, chunk-reads;desc=\"[1-9][0-9]*\", chunk-fetches;desc=\"[0-9]+\", chunk-writes;desc=\"[0-9]+\", "
                                + "chunk-fetch;dur=[0-9]+\\.[0-9]{3}, chunk-write;dur=[0-9]+\\.[0-9]{3}, chunk-inserts;dur=[0-9]+\\.[0-9]{3}"))
                .extract().path("hash");
        Api.stage(name, List.of(Api.feedback("b", "y", "negative"))).then().statusCode(200);
        Api.admin().header("Idempotency-Key", "retry-1").contentType(ContentType.JSON).body(body)
                .post("/datasets/{d}/commits", name).then().statusCode(201).header("Idempotent-Replayed", "true")
                .header("Server-Timing", org.hamcrest.Matchers.endsWith(
                        "chunk-reads;desc=\"0\", chunk-fetches;desc=\"0\", chunk-writes;desc=\"0\", chunk-fetch;dur=0.000, chunk-write;dur=0.000, chunk-inserts;dur=0.000"))
                .body("hash", equalTo(first)).body("recordCount", equalTo(1));
        Api.admin().header("Idempotency-Key", "retry-1").contentType(ContentType.JSON).body(Map.of("message", "other"))
                .post("/datasets/{d}/commits", name).then().statusCode(422);

        Api.admin().get("/datasets/{d}/versions", name).then().body("total", equalTo(1));
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(1));
    }

    @Test
    void shouldPinThePipelineRevisionInForce() {
        String name = Api.newFeedbackDataset("Pinned");
        Api.stage(name, List.of(Api.feedback("a", "x", "positive"))).then().statusCode(200);
        Api.commit(name, "under revision 1").then().statusCode(201).body("pipelineRevision", equalTo(1));

        Api.admin().contentType(ContentType.JSON).body(Map.of("validation", Map.of("minRecords", 5)))
                .put("/datasets/{d}/pipeline", name).then().statusCode(200);
        Api.stage(name, List.of(Api.feedback("b", "y", "positive"))).then().statusCode(200);

        Api.commit(name, "under revision 2").then().statusCode(201).body("pipelineRevision", equalTo(2));
        Api.admin().get("/datasets/{d}/versions", name).then().body("versions.pipelineRevision", equalTo(List.of(2, 1)));
    }

    @Test
    void shouldSerializeConcurrentCommitsSoEveryChangeLandsOnce() throws Exception {
        String name = Api.newFeedbackDataset("Concurrent");
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Callable<Integer>> work = new ArrayList<>();
        for (int writer = 0; writer < 6; writer++) {
            int w = writer;
            work.add(() -> {
                int committed = 0;
                for (int round = 0; round < 5; round++) {
                    Api.stage(name, List.of(Api.feedback("w" + w + "-" + round, "text", "neutral"))).then().statusCode(200);
                    int status = Api.commit(name, "writer " + w + " round " + round).then().extract().statusCode();
                    assertThat(status).isIn(201, 422); // 422: another writer's commit already took this change
                    committed += status == 201 ? 1 : 0;
                }
                return committed;
            });
        }
        int commits = 0;
        for (Future<Integer> result : pool.invokeAll(work)) {
            commits += result.get();
        }
        pool.shutdown();

        int versions = Api.admin().get("/datasets/{d}/versions?size=500", name).then().extract().path("total");
        int records = Api.admin().get("/datasets/{d}/versions/latest", name).then().extract().path("recordCount");
        List<Integer> added = Api.admin().get("/datasets/{d}/versions?size=500", name).then().extract().path("versions.added");
        assertThat(versions).isEqualTo(commits);
        assertThat(records).isEqualTo(30);
        assertThat(added.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0));
    }

    @Test
    void shouldCommitMoreChangesThanOneBatchToTheSameTreeAsABuildFromScratch() {
        String name = Api.newFeedbackDataset("Big change");
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 30_000; i++) {
            first.append(ndjson(i, "first " + i));
        }
        stageNdjson(name, first.toString());
        Api.commit(name, "30k records").then().statusCode(201);
        StringBuilder change = new StringBuilder();
        StringBuilder end = new StringBuilder();
        for (int i = 0; i < 45_000; i++) { // 30k updates and 15k inserts: more than two batches of edits
            change.append(ndjson(i, "second " + i));
            end.append(ndjson(i, "second " + i));
        }
        stageNdjson(name, change.toString());
        io.restassured.response.ValidatableResponse committed = Api.commit(name, "45k changes").then().statusCode(201)
                .body("recordCount", org.hamcrest.Matchers.equalTo(45_000)).body("added", org.hamcrest.Matchers.equalTo(15_000))
                .body("updated", org.hamcrest.Matchers.equalTo(30_000));

        String fresh = Api.newFeedbackDataset("Big change from scratch");
        stageNdjson(fresh, end.toString());
        String scratch = Api.commit(fresh, "all at once").then().statusCode(201).extract().path("dataHash");
        assertThat(committed.extract().<String>path("dataHash")).isEqualTo(scratch);
    }

    private static String ndjson(int i, String text) {
        return "{\"id\": \"k" + String.format("%06d", i) + "\", \"feedback\": \"" + text + "\", \"sentiment\": \"neutral\"}\n";
    }

    private static void stageNdjson(String dataset, String body) {
        Api.admin().contentType("application/x-ndjson").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)).post("/datasets/{d}/records", dataset).then().statusCode(200);
    }
}
