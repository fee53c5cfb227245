package io.dataline.dataset.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.dataset.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Covers reading versions back: NDJSON (default) and CSV exports in key order, older versions unchanged after later
 * commits, diffs by key between any two versions (paged lists, complete counts), and record schema changes (accepted when every record of the head
 * and of the staged changes validates, refused with the offending keys otherwise).
 */
@QuarkusTest
class ExportDiffSchemaTest {

    @Test
    void shouldExportAnyVersionAsNdjsonOrCsv() {
        String name = Api.newFeedbackDataset("Export");
        Api.stage(name, List.of(Api.feedback("b", "Hello, \"world\"", "positive"), Api.feedback("a", "plain", "negative"))).then().statusCode(200);
        String first = Api.commit(name, "first").then().statusCode(201).extract().path("hash");
        Api.stage(name, List.of(Api.feedback("c", "later", "neutral"))).then().statusCode(200);
        Api.commit(name, "second").then().statusCode(201);

        Api.admin().get("/datasets/{d}/versions/{v}/records", name, first).then().statusCode(200)
                .contentType("application/x-ndjson").header("X-Dataline-Record-Count", "2")
                .body(equalTo("{\"category\":\"UI/UX\",\"feedback\":\"plain\",\"id\":\"a\",\"sentiment\":\"negative\"}\n"
                        + "{\"category\":\"UI/UX\",\"feedback\":\"Hello, \\\"world\\\"\",\"id\":\"b\",\"sentiment\":\"positive\"}\n"));
        Api.admin().accept("text/csv").get("/datasets/{d}/versions/{v}/records", name, first).then().statusCode(200)
                .contentType(containsString("text/csv"))
                .body(equalTo("id,feedback,sentiment,category,score\r\na,plain,negative,UI/UX,\r\nb,\"Hello, \"\"world\"\"\",positive,UI/UX,\r\n"));
        Api.admin().get("/datasets/{d}/versions/latest/records?format=csv", name).then().statusCode(200)
                .body(containsString("c,later,neutral"));
        Api.admin().get("/datasets/{d}/versions/{v}/records", name, "0".repeat(64)).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void shouldDiffTwoVersionsByKey() {
        String name = Api.newFeedbackDataset("Diff");
        Api.stage(name, List.of(Api.feedback("a", "x", "positive"), Api.feedback("b", "y", "negative"), Api.feedback("c", "z", "neutral")))
                .then().statusCode(200);
        String from = Api.commit(name, "first").then().extract().path("hash");
        Api.stage(name, List.of(Api.feedback("b", "y2", "negative"), Api.feedback("d", "new", "neutral"))).then().statusCode(200);
        Api.admin().delete("/datasets/{d}/records/{k}", name, "c").then().statusCode(204);
        String to = Api.commit(name, "second").then().extract().path("hash");

        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}", name, from, to).then().statusCode(200)
                .body("added", equalTo(List.of("d"))).body("removed", equalTo(List.of("c"))).body("changed", equalTo(List.of("b")))
                .body("truncated", equalTo(false));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}", name, to, from).then().statusCode(200)
                .body("added", equalTo(List.of("c"))).body("removed", equalTo(List.of("d")));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&limit=1", name, from, to).then().statusCode(200)
                .body("addedCount", equalTo(1)).body("truncated", equalTo(false));
        String third = stageAndCommit(name, List.of(Api.feedback("e", "1", "neutral"), Api.feedback("f", "2", "neutral"),
                Api.feedback("g", "3", "neutral")));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&limit=2", name, to, third).then().statusCode(200)
                .body("added", equalTo(List.of("e", "f"))).body("addedCount", equalTo(3)).body("truncated", equalTo(true));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&limit=2&offset=2", name, to, third).then().statusCode(200)
                .body("added", equalTo(List.of("g"))).body("truncated", equalTo(false));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&offset=-1", name, to, third).then().statusCode(422);
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&limit=0", name, from, to).then().statusCode(422);
        Api.admin().get("/datasets/{d}/diff?from={f}&to=latest", name, to).then().statusCode(200).body("changed", equalTo(List.of()));
        Api.admin().get("/datasets/{d}/diff?from={f}", name, from).then().statusCode(422);
    }

    @Test
    void shouldReadOneRecordByKeyAPageOfRecordsAndAKeysFieldChanges() {
        String name = Api.newFeedbackDataset("Record Reads");
        String from = stageAndCommit(name, List.of(Api.feedback("a", "x", "positive"), Api.feedback("b", "y", "negative"),
                Api.feedback("c", "z", "neutral")));
        String to = stageAndCommit(name, List.of(Api.feedback("b", "y2", "negative")));

        Api.admin().get("/datasets/{d}/versions/{v}/records/{k}", name, from, "b").then().statusCode(200).body("feedback", equalTo("y"));
        Api.admin().get("/datasets/{d}/versions/latest/records/{k}", name, "b").then().statusCode(200).body("feedback", equalTo("y2"));
        Api.admin().get("/datasets/{d}/versions/latest/records/{k}", name, "nope").then().statusCode(404)
                .contentType("application/problem+json");
        Api.admin().get("/datasets/{d}/versions/latest/records?offset=1&limit=1", name).then().statusCode(200)
                .contentType("application/x-ndjson").header("X-Dataline-Record-Count", "3")
                .body(equalTo("{\"category\":\"UI/UX\",\"feedback\":\"y2\",\"id\":\"b\",\"sentiment\":\"negative\"}\n"));
        Api.admin().get("/datasets/{d}/versions/latest/records?offset=3", name).then().statusCode(200).body(equalTo(""));
        Api.admin().get("/datasets/{d}/versions/latest/records?limit=1001", name).then().statusCode(422);
        Api.admin().get("/datasets/{d}/versions/latest/records?offset=-1", name).then().statusCode(422);
        Api.admin().accept("text/csv").get("/datasets/{d}/versions/latest/records?limit=1", name).then().statusCode(422);

        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&key=b", name, from, to).then().statusCode(200)
                .body("changed", equalTo(List.of("b"))).body("record.key", equalTo("b")).body("record.base.feedback", equalTo("y"))
                .body("record.head.feedback", equalTo("y2")).body("record.fields.field", equalTo(List.of("feedback")));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&key=c", name, from, to).then().statusCode(200)
                .body("record.fields", equalTo(List.of()));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}", name, from, to).then().statusCode(200).body("record", equalTo(null))
                .body("compared", equalTo(null));
    }

    @Test
    void shouldCompareTheFirstChangedKeysOfADiffPageFieldByFieldInOneRequest() {
        String name = Api.newFeedbackDataset("Compared");
        String from = stageAndCommit(name, List.of(Api.feedback("a", "x", "positive"), Api.feedback("b", "y", "negative"),
                Api.feedback("c", "z", "neutral")));
        String to = stageAndCommit(name, List.of(Api.feedback("a", "x2", "positive"), Api.feedback("b", "y", "positive"),
                Api.feedback("c", "z2", "negative")));

        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&compare=2", name, from, to).then().statusCode(200)
                .body("changed", equalTo(List.of("a", "b", "c"))).body("compared.key", equalTo(List.of("a", "b")))
                .body("compared[0].fields.field", equalTo(List.of("feedback"))).body("compared[0].head.feedback", equalTo("x2"))
                .body("compared[1].fields.field", equalTo(List.of("sentiment"))).body("compared[1].base.sentiment", equalTo("negative"));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&limit=1&offset=2&compare=5", name, from, to).then().statusCode(200)
                .body("compared.key", equalTo(List.of("c")));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&compare=101", name, from, to).then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].pointer", equalTo("/query/compare"));
        Api.admin().get("/datasets/{d}/diff?from={f}&to={t}&compare=-1", name, from, to).then().statusCode(422);
    }

    private static String stageAndCommit(String name, List<Map<String, Object>> records) {
        Api.stage(name, records).then().statusCode(200);
        return Api.commit(name, "more").then().statusCode(201).extract().path("hash");
    }

    @Test
    void shouldChangeTheSchemaOnlyWhenEveryRecordStillValidates() {
        String name = Api.newFeedbackDataset("Schema Change");
        Api.stage(name, List.of(Api.feedback("a", "short", "positive"))).then().statusCode(200);
        Api.commit(name, "first").then().statusCode(201);
        Api.stage(name, List.of(Api.feedback("b", "a much longer text", "negative"))).then().statusCode(200);
        Map<String, Object> strict = Map.of("type", "object", "required", List.of("id", "feedback", "sentiment"),
                "properties", Map.of("id", Map.of("type", "string"), "feedback", Map.of("type", "string", "maxLength", 3),
                        "sentiment", Map.of("type", "string"), "category", Map.of("type", "string")));

        Api.admin().contentType(ContentType.JSON).body(strict).put("/datasets/{d}/schema", name).then().statusCode(422)
                .body("totalErrors", equalTo(2)).body("errors.key", equalTo(List.of("a", "b")));

        Map<String, Object> looser = Map.of("type", "object", "required", List.of("id"),
                "properties", Map.of("id", Map.of("type", "string"), "feedback", Map.of("type", "string"),
                        "sentiment", Map.of("type", "string"), "category", Map.of("type", "string"), "lang", Map.of("type", "string")));
        Api.admin().contentType(ContentType.JSON).body(looser).put("/datasets/{d}/schema", name).then().statusCode(200)
                .body("schemaVersion", equalTo(2));
        Api.admin().get("/datasets/{d}/schema", name).then().body("properties.lang.type", equalTo("string"));
        Api.admin().get("/datasets/{d}/schema/versions/1", name).then().statusCode(200).body("properties.feedback.maxLength", equalTo(null));
        Api.admin().get("/datasets/{d}/schema/versions/9", name).then().statusCode(404);
        Api.admin().get("/datasets/{d}/versions/latest", name).then().body("schemaVersion", equalTo(1));
        Api.stage(name, List.of(Map.of("id", "c", "lang", "en"))).then().statusCode(200);

        Map<String, Object> integerKey = Map.of("type", "object", "required", List.of("id"), "properties", Map.of("id", Map.of("type", "integer")));
        Api.admin().contentType(ContentType.JSON).body(integerKey).put("/datasets/{d}/schema", name).then().statusCode(422);
    }
}
