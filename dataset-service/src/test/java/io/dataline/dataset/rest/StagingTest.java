package io.dataline.dataset.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.dataline.dataset.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Covers staging: upserts by primary key from a JSON array or NDJSON, an upsert identical to the head is not a change,
 * and every kind of invalid record (not an object, schema violation, missing or duplicate key, malformed NDJSON line,
 * non-finite number, integer outside int64, oversized record) rejects the whole request with 422 listing each error
 * by index and pointer while nothing is staged; a JSON body over its limit is 413; deletes are staged only for keys
 * that exist (404 otherwise); the staged area can be counted and discarded.
 */
@QuarkusTest
class StagingTest {

    @Test
    void shouldStageUpsertsByPrimaryKey() {
        String name = Api.newFeedbackDataset("Staging");

        Api.stage(name, List.of(Api.feedback("a", "first", "positive"), Api.feedback("b", "second", "negative")))
                .then().statusCode(200).body("staged", equalTo(2));
        Api.stage(name, List.of(Api.feedback("a", "first, edited", "neutral"))).then().statusCode(200).body("staged", equalTo(1));
        Api.admin().contentType("application/x-ndjson")
                .body("{\"id\":\"c\",\"feedback\":\"third\",\"sentiment\":\"positive\"}\n\n{\"id\":\"d\",\"feedback\":\"fourth\",\"sentiment\":\"neutral\"}\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/datasets/{d}/records", name).then().statusCode(200).body("staged", equalTo(2));

        Api.admin().get("/datasets/{d}/staged", name).then().statusCode(200).body("upserts", equalTo(4)).body("deletes", equalTo(0));
    }

    @Test
    void shouldNotStageAnUpsertIdenticalToTheHead() {
        String name = Api.newFeedbackDataset("Identical");
        Api.stage(name, List.of(Api.feedback("a", "same", "positive"))).then().statusCode(200);
        Api.commit(name, "first").then().statusCode(201);

        Api.stage(name, List.of(Map.of("sentiment", "positive", "id", "a", "category", "UI/UX", "feedback", "same")))
                .then().statusCode(200).body("staged", equalTo(0)).body("unchanged", equalTo(1));
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0));
        Api.commit(name, "nothing new").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("nothing to commit"));
    }

    @Test
    void shouldRefuseAFirstCommitWithNothingStagedAndLeaveNoVersionBehind() {
        String name = Api.newFeedbackDataset("EmptyFirst");
        Api.commit(name, "nothing yet").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("nothing to commit"));
        Api.admin().get("/datasets/{d}/versions", name).then().statusCode(200).body("total", equalTo(0));

        Api.stage(name, List.of(Api.feedback("a", "first", "positive"))).then().statusCode(200);
        Api.commit(name, "first").then().statusCode(201).body("parent", org.hamcrest.Matchers.nullValue());
        Api.admin().get("/datasets/{d}/versions", name).then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void shouldRejectTheWholeRequestListingEveryInvalidRecord() {
        String name = Api.newFeedbackDataset("Invalid");
        List<Object> records = new ArrayList<>();
        records.add(Api.feedback("ok", "fine", "positive"));
        records.add("not an object");
        records.add(Map.of("id", "x", "feedback", "", "sentiment", "angry"));
        records.add(Map.of("feedback", "no key", "sentiment", "neutral"));
        records.add(Map.of("id", 42, "feedback", "numeric key", "sentiment", "neutral"));
        records.add(Api.feedback("ok", "duplicate", "negative"));

        Api.stage(name, records).then().statusCode(422).contentType("application/problem+json")
                .body("totalErrors", equalTo(6))
                .body("errors.index", equalTo(List.of(1, 2, 2, 3, 4, 5)))
                .body("errors[0].message", equalTo("a record must be a JSON object"))
                .body("errors.findAll { it.index == 2 }.pointer", equalTo(List.of("/feedback", "/sentiment")))
                .body("errors[3].pointer", equalTo("/id"))
                .body("errors[5].message", containsString("duplicate primary key ok"));
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0));
    }

    @Test
    void shouldRejectAPrimaryKeyOverTheLimitWith422() {
        String name = Api.newFeedbackDataset("LongKey");

        Api.stage(name, List.of(Api.feedback("k".repeat(3000), "long key", "positive"))).then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/id")).body("errors[0].message", containsString("over the maximum of 1024"));
        Api.stage(name, List.of(Api.feedback("k".repeat(1024), "longest key", "positive"))).then().statusCode(200);
    }

    @Test
    void shouldRejectNumbersThatCannotBeStoredExactly() {
        String name = Api.newFeedbackDataset("Numbers");

        Api.admin().contentType(ContentType.JSON)
                .body("[{\"id\":\"a\",\"feedback\":\"x\",\"sentiment\":\"neutral\",\"score\":1e400},"
                        + "{\"id\":\"b\",\"feedback\":\"x\",\"sentiment\":\"neutral\",\"score\":123456789012345678901234567890}]")
                .post("/datasets/{d}/records", name).then().statusCode(422)
                .body("errors.pointer", equalTo(List.of("/score", "/score")))
                .body("errors[0].message", containsString("finite"))
                .body("errors[1].message", containsString("int64"));
    }

    @Test
    void shouldRejectDuplicateMembersAndUnpairedSurrogatesWhichHaveNoCanonicalForm() {
        String name = Api.newFeedbackDataset("IJson");

        Api.admin().contentType(ContentType.JSON)
                .body("[{\"id\":\"a\",\"feedback\":\"\\ud800\",\"sentiment\":\"neutral\"},"
                        + "{\"id\":\"b\",\"feedback\":\"ok\",\"sentiment\":\"neutral\",\"category\":[\"\\udfff\"]}]")
                .post("/datasets/{d}/records", name).then().statusCode(422)
                .body("errors.index", equalTo(List.of(0, 1)))
                .body("errors.pointer", equalTo(List.of("/feedback", "/category/0")))
                .body("errors[0].message", containsString("unpaired surrogate (U+D800)"))
                .body("errors[1].message", containsString("unpaired surrogate (U+DFFF)"));
        Api.admin().contentType(ContentType.JSON)
                .body("[{\"id\":\"a\",\"feedback\":\"ok\",\"sentiment\":\"neutral\",\"\\udfff\":1}]")
                .post("/datasets/{d}/records", name).then().statusCode(400).body("detail", containsString("surrogate"));
        Api.admin().contentType(ContentType.JSON)
                .body("[{\"id\":\"a\",\"feedback\":\"x\",\"sentiment\":\"neutral\",\"meta\":{\"k\":1,\"k\":2}}]")
                .post("/datasets/{d}/records", name).then().statusCode(422)
                .body("errors[0].index", equalTo(0)).body("errors[0].pointer", equalTo("/meta"))
                .body("errors[0].message", containsString("appears twice"));
        Api.admin().contentType("application/x-ndjson")
                .body("{\"id\":\"a\",\"feedback\":\"x\",\"sentiment\":\"neutral\"}\n{\"id\":\"b\",\"id\":\"c\"}\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/datasets/{d}/records", name).then().statusCode(422)
                .body("errors.line", equalTo(List.of(2))).body("errors[0].pointer", equalTo(""))
                .body("errors[0].message", containsString("appears twice"));
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0));
        Api.admin().contentType(ContentType.JSON)
                .body("[{\"id\":\"a\",\"feedback\":\"\\ud83d\\ude00 ?\",\"sentiment\":\"neutral\"}]")
                .post("/datasets/{d}/records", name).then().statusCode(200).body("staged", equalTo(1));
    }

    @Test
    void shouldReportMalformedNdjsonLinesAndStageNothing() {
        String name = Api.newFeedbackDataset("Ndjson");

        Api.admin().contentType("application/x-ndjson")
                .body("{\"id\":\"a\",\"feedback\":\"x\",\"sentiment\":\"neutral\"}\n{\"id\": oops}\n[1,2]\n{\"id\":\"b\"} {\"id\":\"c\"}\n"
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/datasets/{d}/records", name).then().statusCode(422)
                .body("errors.line", equalTo(List.of(2, 3, 4)))
                .body("errors[0].message", containsString("malformed JSON line"))
                .body("errors[1].message", equalTo("a record must be a JSON object"))
                .body("errors[2].message", containsString("more than one value"));
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0));
    }

    @Test
    void shouldReadNdjsonLinesAcrossReadBuffersWithCrlfAndNoFinalNewline() {
        String name = Api.newFeedbackDataset("Long lines");
        String first = "a".repeat(40_000);
        String second = "b".repeat(40_000); // starts before the reader's first 64 KiB and ends after it
        String body = "{\"id\":\"k1\",\"feedback\":\"" + first + "\",\"sentiment\":\"neutral\"}\r\n"
                + "{\"id\":\"k2\",\"feedback\":\"" + second + "\",\"sentiment\":\"neutral\"}\r\n"
                + "  \r\n"
                + "{\"id\":\"k3\",\"feedback\":\"last\",\"sentiment\":\"positive\"}";
        Api.admin().contentType("application/x-ndjson").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/datasets/{d}/records", name).then().statusCode(200).body("staged", equalTo(3));
        Api.commit(name, "long lines").then().statusCode(201);
        String records = Api.admin().accept("application/x-ndjson").get("/datasets/{d}/versions/latest/records", name).then()
                .statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(records).contains(first).contains(second).contains("\"last\"");

        String huge = "c".repeat(200_000); // over twice the record limit: the reader stops keeping it, the next line is read
        String bad = "{\"id\":\"k4\",\"feedback\":\"" + huge + "\",\"sentiment\":\"neutral\"}\n"
                + "{\"id\":\"k5\",\"feedback\":\"" + "d".repeat(70_000) + "\",\"sentiment\":\"neutral\"}\n"
                + "{\"id\":\"k6\",\"feedback\":\"fine\",\"sentiment\":\"neutral\"}\n";
        Api.admin().contentType("application/x-ndjson").body(bad.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/datasets/{d}/records", name).then().statusCode(422)
                .body("errors.line", equalTo(List.of(1, 2)))
                .body("errors[0].message", containsString("the line is over the maximum record size"))
                .body("errors[1].message", containsString("over the maximum of"));
    }

    @Test
    void shouldRejectOversizedRecordsAndBodies() {
        String name = Api.newFeedbackDataset("Sizes");
        String big = "x".repeat(70_000); // the test profile allows 64 KiB records and 2 MiB JSON bodies

        Api.stage(name, List.of(Api.feedback("big", big, "neutral"))).then().statusCode(422)
                .body("errors[0].message", containsString("over the maximum"));
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            many.add(Api.feedback("k" + i, "y".repeat(60_000), "neutral"));
        }
        Api.stage(name, many).then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("NDJSON"));
        Api.admin().contentType(ContentType.JSON).body("{\"id\": \"a\"}").post("/datasets/{d}/records", name).then().statusCode(400);
        Api.admin().contentType(ContentType.JSON).body("[{\"id\": \"a\"").post("/datasets/{d}/records", name).then().statusCode(400);
        Api.admin().contentType(ContentType.TEXT).body("id,feedback").post("/datasets/{d}/records", name).then().statusCode(415);
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0));
    }

    @Test
    void shouldStageDeletesOnlyForExistingKeys() {
        String name = Api.newFeedbackDataset("Deletes");
        Api.stage(name, List.of(Api.feedback("a", "x", "positive"), Api.feedback("b", "y", "negative"))).then().statusCode(200);
        Api.commit(name, "two records").then().statusCode(201);
        Api.stage(name, List.of(Api.feedback("c", "z", "neutral"))).then().statusCode(200);

        Api.admin().delete("/datasets/{d}/records/{k}", name, "a").then().statusCode(204);
        Api.admin().delete("/datasets/{d}/records/{k}", name, "c").then().statusCode(204); // only staged: un-staged
        Api.admin().delete("/datasets/{d}/records/{k}", name, "nope").then().statusCode(404).contentType("application/problem+json");
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0)).body("deletes", equalTo(1));

        Api.admin().delete("/datasets/{d}/staged", name).then().statusCode(200).body("discarded", equalTo(1));
        Api.admin().get("/datasets/{d}/staged", name).then().body("deletes", equalTo(0));
        Api.admin().get("/datasets/{d}/staged", "Unknown " + name).then().statusCode(404);
    }

    @Test
    void shouldAcceptIntegerKeys() {
        String name = Api.uniqueName("Integer Keys");
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "primaryKey", "n", "schema", Map.of("type", "object",
                "required", List.of("n"), "properties", Map.of("n", Map.of("type", "integer")))))
                .post("/datasets").then().statusCode(201);

        Api.stage(name, List.of(Map.of("n", -5), Map.of("n", 9_007_199_254_740_993L), Map.of("n", 10))).then().statusCode(200);
        Api.commit(name, "integers").then().statusCode(201).body("recordCount", equalTo(3));
        Api.admin().accept("application/x-ndjson").get("/datasets/{d}/versions/latest/records", name).then().statusCode(200)
                .body(equalTo("{\"n\":-5}\n{\"n\":10}\n{\"n\":9007199254740993}\n"));
        Api.admin().delete("/datasets/{d}/records/{k}", name, "10").then().statusCode(204);
        Api.admin().delete("/datasets/{d}/records/{k}", name, "ten").then().statusCode(404);
        Api.stage(name, List.of(Map.of("n", "7"))).then().statusCode(422).body("errors.pointer", hasItem("/n"));
    }
}
