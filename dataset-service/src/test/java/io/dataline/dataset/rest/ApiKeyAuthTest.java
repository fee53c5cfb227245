package io.dataline.dataset.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.dataline.dataset.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Covers API keys and authorization: no key or an unknown key is 401 (on OpenAPI and metrics too; health is open); a key is shown once and only its hash is kept
 * (the list has no secrets); scopes read ⊂ write ⊂ admin decide what a key may do (403 otherwise); a key limited to
 * datasets sees and touches only those, and as an admin key grants, lists and revokes only keys limited to them; a
 * revoked key stops working; introspection answers for the other services.
 */
@QuarkusTest
class ApiKeyAuthTest {

    @Test
    void shouldRefuseRequestsWithoutAValidKey() {
        given().get("/datasets").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer").body("status", equalTo(401));
        Api.as("dl_not-a-real-key").get("/datasets").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/datasets").then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(404); // health and metrics live on the management interface
        given().get("/q/openapi").then().statusCode(401).contentType("application/problem+json");
        given().get("/q/metrics").then().statusCode(401);
        Api.as("dl_not-a-real-key").get("/q/metrics").then().statusCode(401);
    }

    @Test
    void shouldShowTheKeyOnceAndEnforceItsScopes() {
        String readKey = createKey("reader", List.of("read"), null);
        String writeKey = createKey("writer", List.of("write"), null);
        String name = Api.newFeedbackDataset("Scoped");

        Api.admin().get("/api-keys").then().statusCode(200)
                .body("name", hasItem("reader"))
                .body("key", not(hasItem(readKey)))
                .body("find { it.name == 'reader' }.key", nullValue());

        Api.as(readKey).get("/datasets/{d}", name).then().statusCode(200);
        Api.as(readKey).contentType(ContentType.JSON).body(List.of(Api.feedback("a", "text", "positive")))
                .post("/datasets/{d}/records", name).then().statusCode(403).body("detail", equalTo("this request needs the write scope"));
        Api.as(writeKey).contentType(ContentType.JSON).body(List.of(Api.feedback("a", "text", "positive")))
                .post("/datasets/{d}/records", name).then().statusCode(200);
        Api.as(writeKey).get("/datasets/{d}/staged", name).then().statusCode(200).body("upserts", equalTo(1));
        Api.as(writeKey).contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("read")))
                .post("/api-keys").then().statusCode(403);
        Api.as(writeKey).get("/api-keys").then().statusCode(403);
        Api.as(writeKey).get("/outbox/parked").then().statusCode(403); // ops only: admin
    }

    @Test
    void shouldLimitAKeyToItsDatasets() {
        String mine = Api.uniqueName("Mine");
        String theirs = Api.uniqueName("Theirs");
        String mineSlug = Api.createFeedbackDataset(mine);
        Api.createFeedbackDataset(theirs);
        String key = createKey("limited", List.of("write"), List.of(mine));

        Api.as(key).get("/datasets/{d}", mine).then().statusCode(200);
        Api.as(key).get("/datasets/{d}", mineSlug).then().statusCode(200);
        // another dataset answers as if it did not exist: the key learns nothing about it, not even its name
        Api.as(key).get("/datasets/{d}", theirs).then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no dataset named \"" + theirs + "\""));
        Api.as(key).get("/datasets/{d}", "no such dataset " + theirs).then().statusCode(404);
        Api.as(key).contentType(ContentType.JSON).body(List.of(Api.feedback("a", "text", "positive")))
                .post("/datasets/{d}/records", theirs).then().statusCode(404);
        Api.as(key).get("/datasets").then().statusCode(200).body("name", hasItem(mine)).body("name", not(hasItem(theirs)));
        Api.as(key).contentType(ContentType.JSON)
                .body(Map.of("name", Api.uniqueName("Elsewhere"), "primaryKey", "id", "schema", Api.feedbackSchema()))
                .post("/datasets").then().statusCode(403);
    }

    @Test
    void shouldStopAcceptingARevokedKey() {
        String id = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "short-lived", "scopes", List.of("read")))
                .post("/api-keys").then().statusCode(201).extract().path("id");
        String key = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "other", "scopes", List.of("read")))
                .post("/api-keys").then().extract().path("key");
        String revoked = Api.admin().contentType(ContentType.JSON).body(Map.of("name", "to-revoke", "scopes", List.of("read")))
                .post("/api-keys").then().extract().path("key");
        String revokedId = Api.admin().get("/api-keys").then().extract().path("find { it.name == 'to-revoke' }.id");

        Api.as(revoked).get("/datasets").then().statusCode(200);
        Api.admin().delete("/api-keys/{id}", revokedId).then().statusCode(204);
        Api.as(revoked).get("/datasets").then().statusCode(401);
        Api.as(key).get("/datasets").then().statusCode(200);
        Api.admin().delete("/api-keys/{id}", revokedId).then().statusCode(404);
        Api.admin().delete("/api-keys/{id}", "not-a-uuid").then().statusCode(404);
        Api.admin().delete("/api-keys/{id}", id).then().statusCode(204);
    }

    @Test
    void shouldIntrospectKeysForTheOtherServices() {
        String key = createKey("introspected", List.of("write"), List.of("Some Dataset"));

        Api.admin().contentType(ContentType.JSON).body(Map.of("key", key)).post("/api-keys/introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("name", equalTo("introspected")).body("scopes", equalTo(List.of("write"))).body("datasets", equalTo(List.of("Some Dataset"))).body("datasetSlugs", equalTo(List.of()));
        Api.as(key).contentType(ContentType.JSON).body(Map.of("key", "dl_unknown")).post("/api-keys/introspect").then().statusCode(200)
                .body("active", equalTo(false));
        given().contentType(ContentType.JSON).body(Map.of("key", key)).post("/api-keys/introspect").then().statusCode(401);
    }

    @Test
    void shouldLetADatasetLimitedAdminKeyGrantAndManageOnlyItsOwnDatasets() {
        String theirs = Api.newFeedbackDataset("AdminTheirs");
        String mine = Api.uniqueName("AdminMine");
        String mineSlug = Api.createFeedbackDataset(mine);
        String limitedAdmin = createKey("limited-admin-" + mineSlug, List.of("admin"), List.of(mine));
        String theirKeyName = "their-reader-" + mineSlug;
        createKey(theirKeyName, List.of("read"), List.of(theirs));
        String everyKeyName = "every-reader-" + mineSlug;
        createKey(everyKeyName, List.of("read"), null);

        Api.as(limitedAdmin).contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("read"), "datasets", List.of(theirs)))
                .post("/api-keys").then().statusCode(403).body("detail", containsString(theirs));
        Api.as(limitedAdmin).contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("read"), "datasets", List.of(mine, theirs)))
                .post("/api-keys").then().statusCode(403);
        Api.as(limitedAdmin).contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("admin")))
                .post("/api-keys").then().statusCode(403).body("detail", containsString("limited"));
        String granted = Api.as(limitedAdmin).contentType(ContentType.JSON)
                .body(Map.of("name", "my-reader-" + mineSlug, "scopes", List.of("read"), "datasets", List.of(mineSlug)))
                .post("/api-keys").then().statusCode(201).extract().path("key");
        Api.as(granted).get("/datasets/{d}", mine).then().statusCode(200);

        Api.as(limitedAdmin).get("/api-keys").then().statusCode(200)
                .body("name", hasItem("my-reader-" + mineSlug)).body("name", not(hasItem(theirKeyName))).body("name", not(hasItem(everyKeyName)));
        String theirId = Api.admin().get("/api-keys").then().extract().path("find { it.name == '" + theirKeyName + "' }.id");
        String everyId = Api.admin().get("/api-keys").then().extract().path("find { it.name == '" + everyKeyName + "' }.id");
        Api.as(limitedAdmin).delete("/api-keys/{id}", theirId).then().statusCode(404);
        Api.as(limitedAdmin).delete("/api-keys/{id}", everyId).then().statusCode(404);
        Api.admin().get("/api-keys").then().body("name", hasItem(theirKeyName)).body("name", hasItem(everyKeyName));
        String grantedId = Api.as(limitedAdmin).get("/api-keys").then().extract().path("find { it.name == 'my-reader-" + mineSlug + "' }.id");
        Api.as(limitedAdmin).delete("/api-keys/{id}", grantedId).then().statusCode(204);
        Api.as(granted).get("/datasets").then().statusCode(401);
    }

    @Test
    void shouldRejectAnInvalidKeyRequest() {
        Api.admin().contentType(ContentType.JSON).body(Map.of("name", "", "scopes", List.of("root")))
                .post("/api-keys").then().statusCode(422).contentType("application/problem+json")
                .body("errors.pointer", equalTo(List.of("/name", "/scopes/0")));
    }

    private static String createKey(String name, List<String> scopes, List<String> datasets) {
        Map<String, Object> body = datasets == null ? Map.of("name", name, "scopes", scopes)
                : Map.of("name", name, "scopes", scopes, "datasets", datasets);
        return Api.admin().contentType(ContentType.JSON).body(body).post("/api-keys").then().statusCode(201)
                .body("key", startsWith("dl_")).body("scopes", equalTo(scopes)).extract().path("key");
    }
}
