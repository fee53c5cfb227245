package io.dataline.dataset.rest;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.dataline.dataset.Api;
import io.dataline.dataset.S3Access;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Covers the chunk admin API with chunks in PostgreSQL (the default, no bucket configured): where chunks are, a
 * migration that has nothing to move, and clear refusals for object storage that is not configured, unknown back-ends
 * and datasets, malformed requests and callers without the admin key. ChunksOnS3Test covers a real bucket.
 */
@QuarkusTest
class ChunkAdminTest {

    @BeforeAll
    static void onlyWithChunksInTheDatabase() {
        // the chunks-on-s3 execution does not include this class; only -Dtest=... selects it there
        Assumptions.assumeFalse(S3Access.active(), "runs with chunks in PostgreSQL (the default execution)");
    }

    @Test
    void shouldSayWhereChunksAre() {
        Api.commitOne(Api.newFeedbackDataset("Where"), "one");
        Api.admin().get("/chunks").then().statusCode(200).body("backend", equalTo("postgres")).body("bucket", nullValue())
                .body("inDatabase", greaterThan(0)).body("inObjectStorage", equalTo(0));
    }

    @Test
    void shouldMigrateNothingThatIsAlreadyThere() {
        String name = Api.newFeedbackDataset("Stay");
        Api.commitOne(name, "one");
        Api.admin().contentType("application/json").body(Map.of("dataset", name, "to", "postgres")).post("/chunks/migrate")
                .then().statusCode(200).body("dataset", equalTo(name)).body("chunks", equalTo(1)).body("moved", equalTo(0));
    }

    @Test
    void shouldRefuseWhatCannotBeDone() {
        String name = Api.newFeedbackDataset("Refuse");
        Api.commitOne(name, "one");
        problem(Map.of("dataset", name, "to", "s3"), 409);
        problem(Map.of("dataset", name, "to", "disk"), 400);
        problem(Map.of("to", "postgres"), 400);
        problem(Map.of("dataset", name), 400);
        problem(Map.of("dataset", "no such dataset", "to", "postgres"), 404);
        Api.admin().contentType("application/json").body("{\"dataset\": ").post("/chunks/migrate").then().statusCode(400);
        Api.admin().post("/chunks/sweep").then().statusCode(409).contentType(startsWith("application/problem+json"));
        RestAssured.given().get("/chunks").then().statusCode(401);
    }

    private static void problem(Map<String, String> body, int status) {
        Api.admin().contentType("application/json").body(body).post("/chunks/migrate").then().statusCode(status)
                .contentType(startsWith("application/problem+json"));
    }
}
