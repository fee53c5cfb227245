package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.dataset.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One-shot commits: {@code POST /commits} with an NDJSON body makes its records the next version without a staging
 * area, as upserts on the head or (mode=replace) as the whole version; invalid records, a wrong parent or a reused
 * Idempotency-Key leave the head where it was.
 */
@QuarkusTest
class OneShotCommitTest {

    private static String records(int from, int to, String sentiment) {
        return Api.ndjson(from, to, sentiment);
    }

    private static RequestSpecification ndjson(String body) {
        return Api.admin().contentType("application/x-ndjson").body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Response commit(String dataset, String body, String message) {
        return ndjson(body).queryParam("message", message).post("/datasets/{d}/commits", dataset);
    }

    /** A new dataset whose head holds records r0..r9. */
    private static String withTenRecords(String prefix) {
        String name = Api.newFeedbackDataset(prefix);
        commit(name, records(0, 10, "neutral"), "first").then().statusCode(201);
        return name;
    }

    private static String head(String dataset) {
        return Api.admin().get("/datasets/{d}", dataset).then().statusCode(200).extract().path("head");
    }

    @Test
    void shouldCommitAnUploadAsUpsertsOrAsTheWholeVersion() {
        String name = Api.newFeedbackDataset("OneShot");
        Api.stage(name, List.of(Api.feedback("staged-elsewhere", "waits", "neutral"))).then().statusCode(200);

        // 3,000 records spill to disk in the test profile, so the commit reads merged sorted runs
        commit(name, records(0, 3000, "neutral"), "initial load").then().statusCode(201)
                // the server's split of its time: the body's intake, and the chunk rows it wrote
                .header("Server-Timing", org.hamcrest.Matchers.matchesPattern(
                        "commit;dur=[0-9.]+, .*chunk-writes;desc=\"[1-9][0-9]*\", .*chunk-write;dur=[0-9.]+, chunk-inserts;dur=[0-9.]+, intake;dur=[0-9]+\\.[0-9]{3}"))
                .body("added", equalTo(3000)).body("recordCount", equalTo(3000)).body("message", equalTo("initial load"));

        String upserts = records(0, 10, "positive") + records(3000, 3005, "neutral") + records(10, 20, "neutral"); // 10 same
        ndjson(upserts).queryParam("message", "relabel").queryParam("codeCommit", "abc123").queryParam("author", "labeller")
                .post("/datasets/{d}/commits", name).then().statusCode(201)
                .body("added", equalTo(5)).body("updated", equalTo(10)).body("deleted", equalTo(0)).body("recordCount", equalTo(3005))
                .body("codeCommit", equalTo("abc123")).body("author", equalTo("labeller"));

        ndjson(records(0, 100, "negative")).queryParam("message", "keep only a hundred").queryParam("mode", "replace")
                .post("/datasets/{d}/commits", name).then().statusCode(201)
                .body("added", equalTo(0)).body("updated", equalTo(100)).body("deleted", equalTo(2905)).body("recordCount", equalTo(100));
        String exported = Api.admin().accept("application/x-ndjson").get("/datasets/{d}/versions/latest/records", name).asString();
        assertThat(exported.lines()).hasSize(100).allMatch(line -> line.contains("\"sentiment\":\"negative\""));

        // the shared staging area was not touched by any of them
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(1));
    }

    @Test
    void shouldLeaveTheHeadWhereItWasWhenAnythingIsWrong() {
        String name = withTenRecords("OneShotRefused");
        String head = head(name);

        commit(name, records(10, 20, "neutral") + "{\"id\": \"bad\", \"feedback\": \"\", \"sentiment\": \"angry\"}\nnot json\n", "broken")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("nothing was committed")).body("errors[0].line", equalTo(11))
                .body("errors.pointer", org.hamcrest.Matchers.hasItem("/sentiment"));
        commit(name, records(0, 10, "neutral"), "no change").then().statusCode(422).body("detail", containsString("identical"));
        commit(name, "", "empty").then().statusCode(422).body("detail", containsString("no records"));
        commit(name, records(0, 1, "positive") + records(0, 1, "negative"), "twice").then().statusCode(422)
                .body("errors[0].message", containsString("duplicate primary key"));
        ndjson(records(20, 21, "neutral")).post("/datasets/{d}/commits", name).then().statusCode(422)
                .body("errors[0].pointer", equalTo("/message"));
        ndjson(records(20, 21, "neutral")).queryParam("message", "m").queryParam("mode", "merge").post("/datasets/{d}/commits", name)
                .then().statusCode(422).body("errors[0].pointer", equalTo("/query/mode"));
        ndjson(records(20, 21, "neutral")).queryParam("message", "m").queryParam("expectedParent", "empty")
                .post("/datasets/{d}/commits", name).then().statusCode(409);

        assertThat(head(name)).isEqualTo(head);
        commit(name, records(20, 21, "neutral"), "fine").then().statusCode(201).body("parent", equalTo(head));
    }

    @Test
    void shouldReplayARetriedUploadWithItsIdempotencyKey() {
        String name = Api.newFeedbackDataset("OneShotRetry");
        String body = records(0, 50, "positive");

        String first = ndjson(body).header("Idempotency-Key", "load-1").queryParam("message", "load").post("/datasets/{d}/commits", name)
                .then().statusCode(201).header("Idempotent-Replayed", "false").extract().path("hash");
        ndjson(body).header("Idempotency-Key", "load-1").queryParam("message", "load").post("/datasets/{d}/commits", name)
                .then().statusCode(201).header("Idempotent-Replayed", "true").body("hash", equalTo(first));
        ndjson(records(0, 51, "positive")).header("Idempotency-Key", "load-1").queryParam("message", "load")
                .post("/datasets/{d}/commits", name).then().statusCode(422).body("detail", containsString("different commit request"));
        Api.admin().get("/datasets/{d}/versions", name).then().body("total", equalTo(1));
    }

    /**
     * Duplicates past the keys checked while the upload arrives (1,000 in tests, up to the table's first size, 2,048) are
     * found when the spool is sorted: still a 422 naming both lines, and nothing committed.
     */
    @Test
    void shouldFindADuplicateKeyBeyondTheKeysCheckedOnArrival() {
        String name = withTenRecords("LateDuplicate");
        String head = head(name);

        commit(name, records(0, 3_000, "positive") + records(2_500, 2_501, "negative"), "late duplicate").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("nothing was committed"))
                .body("errors[0].line", equalTo(3_001)).body("errors[0].pointer", equalTo("/id"))
                .body("errors[0].message", containsString("duplicate primary key r2500 within the request (first at line 2501)"));

        assertThat(head(name)).isEqualTo(head);
    }

    /**
     * A large upload is read by two threads (one parses and checks, the other canonicalises, finds duplicate keys and
     * spools): their errors still come in the body's order with the total, and a large JSON array or NDJSON body that
     * is fine commits every record, also when its records are large enough to fill what may wait between the threads.
     */
    @Test
    void shouldReportTheErrorsOfALargeUploadInTheBodysOrder() {
        String name = withTenRecords("LargeUpload");
        String head = head(name);
        // lines 1..4000: r10..r4009; line 301 repeats r10 (a duplicate: the writer's), line 501 has a sentiment the
        // schema refuses (the reader's), line 1501 repeats r20, line 2001 is not JSON
        StringBuilder body = new StringBuilder();
        String[] lines = records(10, 4_010, "positive").split("\n");
        lines[300] = "{\"id\": \"r10\", \"feedback\": \"again\", \"sentiment\": \"positive\"}";
        lines[500] = "{\"id\": \"x500\", \"feedback\": \"f\", \"sentiment\": \"furious\"}";
        lines[1500] = "{\"id\": \"r20\", \"feedback\": \"again\", \"sentiment\": \"positive\"}";
        lines[2000] = "not json";
        for (String line : lines) {
            body.append(line).append('\n');
        }

        commit(name, body.toString(), "four problems").then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("4 problem(s)")).body("errors.line", org.hamcrest.Matchers.contains(301, 501, 1501, 2001))
                .body("errors[0].message", containsString("duplicate primary key r10")).body("errors[1].pointer", equalTo("/sentiment"))
                .body("errors[2].message", containsString("duplicate primary key r20")).body("errors[3].message", containsString("malformed JSON"));
        assertThat(head(name)).isEqualTo(head);

        ndjson(records(10, 5_010, "neutral")).queryParam("message", "large ndjson").post("/datasets/{d}/commits", name).then().statusCode(201)
                .body("added", equalTo(5_000)).body("recordCount", equalTo(5_010));
        List<Map<String, Object>> array = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            array.add(Api.feedback("a" + i, "array " + i, "negative"));
        }
        Api.admin().contentType(io.restassured.http.ContentType.JSON).body(array).post("/datasets/{d}/records", name).then().statusCode(200);
        Api.commit(name, "large array").then().statusCode(201).body("added", equalTo(3_000)).body("recordCount", equalTo(8_010));

        // records of ~40 KB: the 4 MiB the two threads may hold between them fills after ~100, and the reader waits for
        // the writer to make room (the bound that keeps a huge upload within the heap)
        String text = "x".repeat(40_000);
        StringBuilder large = new StringBuilder();
        for (int i = 0; i < 120; i++) { // 4.8 MB
            large.append("{\"id\": \"big").append(i).append("\", \"feedback\": \"").append(text).append("\", \"sentiment\": \"neutral\"}\n");
        }
        commit(name, large.toString(), "large records").then().statusCode(201).body("added", equalTo(120)).body("recordCount", equalTo(8_130));
        assertThat(Api.admin().get("/datasets/{d}/versions/latest/records/big119", name).then().statusCode(200).extract().<String>path("feedback"))
                .isEqualTo(text);
    }
}
