package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Covers registering webhooks: create (201, Location), list (a dataset's, and every one the key may see), get and delete; the secret and token are never
 * returned and are stored only encrypted; invalid registrations get one 422 error per field (scheme, user info,
 * unknown event, unknown format, github-dispatch without token); unknown datasets and webhooks are 404; webhooks need a
 * write key allowed on the dataset (a read key is 403, a key for another dataset sees nothing).
 */
@QuarkusTest
class WebhookRegistrationTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldRegisterListAndDeleteWithoutEverShowingCredentials() throws Exception {
        String name = Api.newFeedbackDataset("Hooked");
        Map<String, Object> body = Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("committed", "promoted"),
                "format", "github-dispatch", "secret", "shared-secret-value", "token", "ghp_exampletoken123");
        io.restassured.response.ValidatableResponse created = Api.admin().contentType(ContentType.JSON).body(body)
                .post("/datasets/{d}/webhooks", name).then().statusCode(201);
        String id = created
                .body("dataset", equalTo(name)).body("url", equalTo("http://127.0.0.1:9/hook"))
                .body("events", equalTo(List.of("committed", "promoted"))).body("format", equalTo("github-dispatch"))
                .body("hasSecret", equalTo(true)).body("hasToken", equalTo(true)).body("createdBy", equalTo("admin"))
                .body("secret", nullValue()).body("token", nullValue())
                .extract().path("id");
        assertThat(created.extract().header("Location")).endsWith("/webhooks/" + id);

        String listed = Api.admin().get("/datasets/{d}/webhooks", name).then().statusCode(200).body("id", equalTo(List.of(id)))
                .extract().asString();
        String fetched = Api.admin().get("/webhooks/{id}", id).then().statusCode(200).body("hasToken", equalTo(true)).extract().asString();
        assertThat(listed + fetched).doesNotContain("shared-secret-value").doesNotContain("ghp_exampletoken123");
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT secret, token FROM webhook WHERE id = ?")) {
            query.setObject(1, UUID.fromString(id));
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).startsWith("v1:").doesNotContain("shared-secret-value");
                assertThat(row.getString(2)).startsWith("v1:").doesNotContain("ghp_exampletoken123");
            }
        }

        Api.admin().get("/webhooks/{id}/deliveries", id).then().statusCode(200).body("size()", equalTo(0));
        Api.admin().delete("/webhooks/{id}", id).then().statusCode(204);
        Api.admin().get("/webhooks/{id}", id).then().statusCode(404).contentType("application/problem+json");
        Api.admin().get("/datasets/{d}/webhooks", name).then().statusCode(200).body("size()", equalTo(0));
        Api.admin().delete("/webhooks/{id}", id).then().statusCode(404);
        Api.admin().get("/webhooks/{id}", "not-a-uuid").then().statusCode(404);
    }

    @Test
    void shouldExplainEveryProblemOfAnInvalidWebhook() {
        String name = Api.newFeedbackDataset("Invalid hooks");
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("url", "ftp://127.0.0.1/x", "events", List.of("committed", "exploded"), "format", "xml", "secret", " "))
                .post("/datasets/{d}/webhooks", name).then().statusCode(422).contentType("application/problem+json")
                .body("errors.pointer", hasItems("/url", "/events/1", "/format", "/secret"));
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("url", "https://user:pw@127.0.0.1/x", "events", List.of()))
                .post("/datasets/{d}/webhooks", name).then().statusCode(422)
                .body("errors.pointer", hasItems("/url", "/events"))
                .body("errors.find { it.pointer == '/url' }.message", org.hamcrest.Matchers.containsString("user info"));
        Api.admin().contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("committed"), "format", "github-dispatch"))
                .post("/datasets/{d}/webhooks", name).then().statusCode(422).body("errors.pointer", equalTo(List.of("/token")));
        Api.admin().contentType(ContentType.JSON).body("{\"url\": ")
                .post("/datasets/{d}/webhooks", name).then().statusCode(400).contentType("application/problem+json");
        Api.admin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("committed")))
                .post("/datasets/{d}/webhooks", "no such dataset " + UUID.randomUUID()).then().statusCode(404);
        Api.admin().get("/datasets/{d}/webhooks", name).then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void shouldNeedAWriteKeyAllowedOnTheDataset() {
        String name = Api.newFeedbackDataset("Guarded hooks");
        String other = Api.newFeedbackDataset("Other hooks");
        String id = Api.admin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("committed")))
                .post("/datasets/{d}/webhooks", name).then().statusCode(201).extract().path("id");
        String reader = key("hook-reader", List.of("read"), null);
        String elsewhere = key("hook-writer-elsewhere", List.of("write"), List.of(other));

        Api.as(reader).get("/datasets/{d}/webhooks", name).then().statusCode(403);
        Api.as(reader).get("/webhooks/{id}/deliveries", id).then().statusCode(403);
        Api.as(elsewhere).get("/webhooks/{id}", id).then().statusCode(404);
        Api.as(elsewhere).get("/datasets/{d}/webhooks", name).then().statusCode(404);
        Api.as(elsewhere).delete("/webhooks/{id}", id).then().statusCode(404);
        io.restassured.RestAssured.given().get("/webhooks/{id}", id).then().statusCode(401);
        Api.admin().get("/datasets/{d}/webhooks", name).then().body("id", hasItem(id)).body("id", not(hasItem("x")));

        // every webhook at once: those of the datasets the key may use, never another's; a write key needed
        String theirs = Api.admin().contentType(ContentType.JSON).body(Map.of("url", "http://127.0.0.1:9/y", "events", List.of("promoted")))
                .post("/datasets/{d}/webhooks", other).then().statusCode(201).extract().path("id");
        Api.admin().get("/webhooks").then().statusCode(200).body("id", hasItems(id, theirs));
        Api.as(elsewhere).get("/webhooks").then().statusCode(200).body("id", equalTo(List.of(theirs))).body("dataset", equalTo(List.of(other)))
                .body("[0].url", equalTo("http://127.0.0.1:9/y")).body("[0].secret", nullValue());
        Api.as(reader).get("/webhooks").then().statusCode(403);
        io.restassured.RestAssured.given().get("/webhooks").then().statusCode(401);
    }

    private static String key(String keyName, List<String> scopes, List<String> datasets) {
        Map<String, Object> body = datasets == null ? Map.of("name", keyName, "scopes", scopes)
                : Map.of("name", keyName, "scopes", scopes, "datasets", datasets);
        return Api.admin().contentType(ContentType.JSON).body(body).post("/api-keys").then().statusCode(201).extract().path("key");
    }
}
