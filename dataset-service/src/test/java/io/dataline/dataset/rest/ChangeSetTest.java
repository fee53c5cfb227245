package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.dataset.Api;
import io.dataline.dataset.ChangeSetRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Covers change sets: two writers staging into their own change sets at once commit exactly their own records (the
 * shared area stays empty); a change set is its key's alone, ends with its commit (a retried commit still gets its
 * version through the Idempotency-Key), and expires when idle; Idempotency-Keys belong to the key that sent them; and
 * {@code expectedParent: "empty"} guards a dataset's first commit.
 */
@QuarkusTest
class ChangeSetTest {

    @Inject
    ChangeSetRepository changeSets;

    @Inject
    io.dataline.dataset.service.Housekeeping housekeeping;

    private static String key(String name) {
        return Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "scopes", List.of("write")))
                .post("/api-keys").then().statusCode(201).extract().path("key");
    }

    private static String open(String writer, String dataset) {
        return Api.as(writer).post("/datasets/{d}/changesets", dataset).then().statusCode(201)
                .body("dataset", equalTo(dataset)).body("upserts", equalTo(0)).extract().path("id");
    }

    /** A new dataset and two writers with keys of their own. */
    private record Writers(String dataset, String alice, String bob) {
        static Writers on(String prefix) {
            String name = Api.newFeedbackDataset(prefix);
            return new Writers(name, key("alice-" + name), key("bob-" + name));
        }
    }

    private static List<Map<String, Object>> records(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> Api.feedback(prefix + "-" + i, "text " + i, "positive")).toList();
    }

    @Test
    void shouldCommitExactlyEachWritersOwnRecordsWhenTwoStageAtOnce() {
        Writers writers = Writers.on("TwoWriters");
        String name = writers.dataset();
        String alice = writers.alice();
        String bob = writers.bob();
        String aliceSet = open(alice, name);
        String bobSet = open(bob, name);

        List<CompletableFuture<Void>> staging = new ArrayList<>();
        for (int batch = 0; batch < 5; batch++) {
            int b = batch;
            staging.add(CompletableFuture.runAsync(() -> Api.as(alice).contentType(ContentType.JSON).body(records("alice" + b, 40))
                    .post("/datasets/{d}/changesets/{id}/records", name, aliceSet).then().statusCode(200).body("staged", equalTo(40))));
            staging.add(CompletableFuture.runAsync(() -> Api.as(bob).contentType(ContentType.JSON).body(records("bob" + b, 30))
                    .post("/datasets/{d}/changesets/{id}/records", name, bobSet).then().statusCode(200).body("staged", equalTo(30))));
        }
        staging.forEach(CompletableFuture::join);
        Api.as(alice).get("/datasets/{d}/changesets/{id}", name, aliceSet).then().statusCode(200).body("upserts", equalTo(200));
        Api.as(bob).get("/datasets/{d}/changesets/{id}", name, bobSet).then().statusCode(200).body("upserts", equalTo(150));

        // neither sees, stages into, or commits the other's change set
        Api.as(bob).get("/datasets/{d}/changesets/{id}", name, aliceSet).then().statusCode(404);
        Api.as(bob).contentType(ContentType.JSON).body(records("intruder", 1))
                .post("/datasets/{d}/changesets/{id}/records", name, aliceSet).then().statusCode(404);
        Api.as(bob).contentType(ContentType.JSON).body(Map.of("message", "not mine", "changeset", aliceSet))
                .post("/datasets/{d}/commits", name).then().statusCode(404);

        Api.as(alice).contentType(ContentType.JSON).body(Map.of("message", "alice's", "changeset", aliceSet, "expectedParent", "empty"))
                .post("/datasets/{d}/commits", name).then().statusCode(201).body("added", equalTo(200)).body("author", equalTo("alice-" + name));
        Api.as(bob).contentType(ContentType.JSON).body(Map.of("message", "bob's", "changeset", bobSet))
                .post("/datasets/{d}/commits", name).then().statusCode(201).body("added", equalTo(150)).body("recordCount", equalTo(350));

        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0)).body("deletes", equalTo(0));
        Api.as(alice).get("/datasets/{d}/changesets/{id}", name, aliceSet).then().statusCode(404); // committed: it ended
    }

    @Test
    void shouldAnswerARetriedCommitWithItsVersionAndScopeIdempotencyKeysToTheirSender() {
        Writers writers = Writers.on("Retried");
        String name = writers.dataset();
        String set = open(writers.alice(), name);
        String alice = writers.alice();
        String bob = writers.bob();
        Api.as(alice).contentType(ContentType.JSON).body(records("a", 3)).post("/datasets/{d}/changesets/{id}/records", name, set)
                .then().statusCode(200);
        Map<String, Object> body = Map.of("message", "once", "changeset", set);
        String version = Api.as(alice).header("Idempotency-Key", "job-42").contentType(ContentType.JSON).body(body)
                .post("/datasets/{d}/commits", name).then().statusCode(201).extract().path("hash");
        Api.as(alice).header("Idempotency-Key", "job-42").contentType(ContentType.JSON).body(body)
                .post("/datasets/{d}/commits", name).then().statusCode(201).header("Idempotent-Replayed", "true").body("hash", equalTo(version));

        // the same Idempotency-Key from another key is another request: bob's own change set is committed
        String bobSet = open(bob, name);
        Api.as(bob).contentType(ContentType.JSON).body(records("b", 2)).post("/datasets/{d}/changesets/{id}/records", name, bobSet)
                .then().statusCode(200);
        String bobs = Api.as(bob).header("Idempotency-Key", "job-42").contentType(ContentType.JSON)
                .body(Map.of("message", "once", "changeset", bobSet)).post("/datasets/{d}/commits", name).then().statusCode(201)
                .body("added", equalTo(2)).extract().path("hash");
        assertThat(bobs).isNotEqualTo(version);
    }

    @Test
    void shouldExpireAnIdleChangeSetAndDiscardOnRequest() {
        String name = Api.newFeedbackDataset("Idle");
        String writer = key("idle-" + name);
        String idle = open(writer, name);
        Api.as(writer).contentType(ContentType.JSON).body(records("x", 2)).post("/datasets/{d}/changesets/{id}/records", name, idle)
                .then().statusCode(200);
        QuarkusTransaction.requiringNew().run(() -> changeSets.findById(UUID.fromString(idle)).lastUsedAt = Instant.now().minusSeconds(25 * 3600));
        Api.as(writer).get("/datasets/{d}/changesets/{id}", name, idle).then().statusCode(404).body("detail", containsString("expired"));
        assertThat(housekeeping.run()[0]).isGreaterThanOrEqualTo(1); // the hourly sweep discards it and what it staged
        assertThat(QuarkusTransaction.requiringNew().call(() -> changeSets.findById(UUID.fromString(idle)))).isNull();

        String discarded = open(writer, name);
        Api.as(writer).contentType(ContentType.JSON).body(records("y", 4)).post("/datasets/{d}/changesets/{id}/records", name, discarded)
                .then().statusCode(200);
        Api.as(writer).delete("/datasets/{d}/changesets/{id}", name, discarded).then().statusCode(200).body("discarded", equalTo(4));
        Api.as(writer).contentType(ContentType.JSON).body(Map.of("message", "gone", "changeset", discarded))
                .post("/datasets/{d}/commits", name).then().statusCode(404);
        Api.as(writer).get("/datasets/{d}/changesets/{id}", name, "not-a-uuid").then().statusCode(404);
    }

    @Test
    void shouldGuardAFirstCommitWithAnEmptyExpectedParent() {
        String name = Api.newFeedbackDataset("FirstCommit");
        Api.stage(name, List.of(Api.feedback("a", "x", "positive"))).then().statusCode(200);
        Api.admin().contentType(ContentType.JSON).body(Map.of("message", "first", "expectedParent", "empty"))
                .post("/datasets/{d}/commits", name).then().statusCode(201);
        Api.stage(name, List.of(Api.feedback("b", "y", "positive"))).then().statusCode(200);
        Api.admin().contentType(ContentType.JSON).body(Map.of("message", "also first?", "expectedParent", "empty"))
                .post("/datasets/{d}/commits", name).then().statusCode(409).body("detail", containsString("not the expected parent"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("message", "bad", "expectedParent", "nothing"))
                .post("/datasets/{d}/commits", name).then().statusCode(422);
    }
}
