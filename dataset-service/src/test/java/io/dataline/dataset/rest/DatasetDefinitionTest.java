package io.dataline.dataset.rest;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.dataline.dataset.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Covers creating and reading datasets: the answer's fields and derived slug, addressing by percent-encoded name or
 * slug, 409 on an existing name, 422 for invalid names and schemas (each problem with its pointer), 400 for malformed
 * JSON, 415 for a wrong content type, 404 for an unknown dataset; pipeline revisions (new revision on PUT, old ones
 * kept, unknown sections refused).
 */
@QuarkusTest
class DatasetDefinitionTest {

    @Test
    void shouldCreateADatasetWithADerivedSlug() {
        String name = Api.uniqueName("Customer Feedback Analysis");
        String slug = Api.admin().contentType(ContentType.JSON)
                .body(Map.of("name", name, "description", "Q4 feedback", "primaryKey", "id", "schema", Api.feedbackSchema(),
                        "pipeline", Map.of("validation", Map.of("minRecords", 1))))
                .post("/datasets").then().statusCode(201)
                .header("Location", containsString("/datasets/customer-feedback-analysis-"))
                .body("name", equalTo(name)).body("description", equalTo("Q4 feedback")).body("primaryKey", equalTo("id"))
                .body("schema.type", equalTo("object")).body("pipelineRevision", equalTo(1)).body("head", nullValue())
                .body("createdAt", org.hamcrest.Matchers.notNullValue())
                .extract().path("slug");

        Api.admin().urlEncodingEnabled(false).get("/datasets/" + name.replace(" ", "%20")).then().statusCode(200).body("slug", equalTo(slug));
        Api.admin().get("/datasets/{d}", slug).then().statusCode(200).body("name", equalTo(name));
        Api.admin().get("/datasets").then().statusCode(200).body("name", hasItem(name));
        Api.admin().get("/datasets/{d}/pipeline", slug).then().statusCode(200).body("revision", equalTo(1))
                .body("pipeline.validation.minRecords", equalTo(1));
    }

    @Test
    void shouldDeriveUniqueSlugs() {
        String base = "Sales.Data " + System.nanoTime();
        String first = Api.createFeedbackDataset(base);
        String second = Api.createFeedbackDataset(base + "!".replace("!", "_"));

        org.assertj.core.api.Assertions.assertThat(first).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        org.assertj.core.api.Assertions.assertThat(second).isEqualTo(first + "-2");
    }

    @Test
    void shouldRefuseAnExistingName() {
        String name = Api.newFeedbackDataset("Taken");
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "primaryKey", "id", "schema", Api.feedbackSchema()))
                .post("/datasets").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void shouldKeepNamesAndSlugsInOneNamespaceSoAPathNamesOneDataset() {
        String name = "Prod Data " + System.nanoTime();
        String slug = Api.createFeedbackDataset(name); // prod-data-<n>
        String other = Api.createFeedbackDataset(name + "_"); // its derived slug is taken: prod-data-<n>-2

        // a name equal to another dataset's slug would make /datasets/<slug> name two datasets
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", slug, "primaryKey", "id", "schema", Api.feedbackSchema()))
                .post("/datasets").then().statusCode(409).contentType("application/problem+json").body("detail", containsString("slug"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", other, "primaryKey", "id", "schema", Api.feedbackSchema()))
                .post("/datasets").then().statusCode(409);

        Api.admin().get("/datasets/{d}", slug).then().statusCode(200).body("name", equalTo(name));
        Api.admin().get("/datasets/{d}", other).then().statusCode(200).body("name", equalTo(name + "_"));
    }

    @Test
    void shouldRefuseInvalidNamesAndSchemas() {
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", " leading space", "primaryKey", "id", "schema", Api.feedbackSchema()))
                .post("/datasets").then().statusCode(422).body("errors.pointer", hasItem("/name"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", "x".repeat(129), "primaryKey", "id", "schema", Api.feedbackSchema()))
                .post("/datasets").then().statusCode(422).body("errors.pointer", hasItem("/name"));
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", "bad/slash", "primaryKey", "id", "schema", Api.feedbackSchema()))
                .post("/datasets").then().statusCode(422);
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", Api.uniqueName("S"), "primaryKey", "id", "schema", Map.of("type", 7)))
                .post("/datasets").then().statusCode(422).body("errors[0].pointer", containsString("/schema"));
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("name", Api.uniqueName("S"), "primaryKey", "id", "schema", Map.of("type", "array")))
                .post("/datasets").then().statusCode(422).body("errors.pointer", hasItem("/schema/type"));
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("name", Api.uniqueName("S"), "primaryKey", "missing", "schema", Api.feedbackSchema()))
                .post("/datasets").then().statusCode(422).body("errors.pointer", hasItem("/schema/required"));
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("name", Api.uniqueName("S"), "primaryKey", "score", "schema", Map.of("type", "object",
                        "required", List.of("score"), "properties", Map.of("score", Map.of("type", "number")))))
                .post("/datasets").then().statusCode(422).body("errors.pointer", hasItem("/schema/properties/score/type"));
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("name", Api.uniqueName("S"), "primaryKey", "id", "schema", Api.feedbackSchema(), "pipeline", Map.of("deploy", Map.of())))
                .post("/datasets").then().statusCode(422).body("errors.pointer", hasItem("/pipeline/deploy"));
    }

    @Test
    void shouldRefuseASchemaThatReferencesAFileOrUrl() {
        String name = Api.uniqueName("Refs");
        Map<String, Object> outside = Map.of("type", "object", "required", List.of("id"), "properties",
                Map.of("id", Map.of("type", "string"), "note", Map.of("$ref", "file:///etc/passwd")));
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "primaryKey", "id", "schema", outside))
                .post("/datasets").then().statusCode(422).contentType("application/problem+json")
                .body("errors.pointer", hasItem("/schema/properties/note/$ref"));
        Api.createFeedbackDataset(name);
        Map<String, Object> remote = Map.of("type", "object", "required", List.of("id"), "properties",
                Map.of("id", Map.of("type", "string"), "note", Map.of("$ref", "http://127.0.0.1:9/note.json")));
        Api.admin().contentType(ContentType.JSON).body(remote).put("/datasets/{d}/schema", name).then().statusCode(422)
                .body("errors.pointer", hasItem("/schema/properties/note/$ref"));
        Api.admin().get("/datasets/{d}", name).then().statusCode(200).body("schemaVersion", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void shouldAnswerBadRequestsWithProblems() {
        Api.admin().contentType(ContentType.JSON).body("{\"name\": ").post("/datasets").then().statusCode(400)
                .contentType("application/problem+json");
        Api.admin().contentType(ContentType.TEXT).body("name=x").post("/datasets").then().statusCode(415)
                .contentType("application/problem+json");
        Api.admin().get("/datasets/{d}", "No Such Dataset").then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("No Such Dataset"));
    }

    @Test
    void shouldKeepEveryPipelineRevision() {
        String name = Api.newFeedbackDataset("Pipelined");

        Api.admin().contentType(ContentType.JSON).body(Map.of("training", Map.of("labelField", "sentiment")))
                .put("/datasets/{d}/pipeline", name).then().statusCode(200).body("revision", equalTo(2));
        Api.admin().contentType(ContentType.JSON).body(Map.of("unknown", Map.of()))
                .put("/datasets/{d}/pipeline", name).then().statusCode(422);

        Api.admin().get("/datasets/{d}/pipeline", name).then().body("revision", equalTo(2)).body("pipeline.training.labelField", equalTo("sentiment"));
        Api.admin().get("/datasets/{d}/pipeline/revisions/1", name).then().statusCode(200).body("pipeline", equalTo(Map.of()));
        Api.admin().get("/datasets/{d}/pipeline/revisions/3", name).then().statusCode(404);
        Api.admin().get("/datasets/{d}/pipeline/revisions/x", name).then().statusCode(404);
        Api.admin().get("/datasets/{d}", name).then().body("pipelineRevision", equalTo(2));
    }
}
