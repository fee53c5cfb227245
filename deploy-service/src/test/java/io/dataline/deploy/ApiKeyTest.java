package io.dataline.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.testsupport.ApiKeyContract;
import io.dataline.testsupport.DatasetServiceApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * API keys on deploy-service: issued by dataset-service, checked by introspection (the contract); promoting over
 * failed gates ({@code force}) needs an admin key.
 */
@QuarkusTest
class ApiKeyTest extends ApiKeyContract {

    ApiKeyTest() {
        super("/models/nowhere/promotions", new String[] {"POST", "/models/nowhere/stages/staging/rollback", null},
                slug -> "/models/" + slug + "/promotions");
    }

    @Test
    void shouldLetOnlyAnAdminKeyForceAPromotion() throws Exception {
        HttpResponse<String> byWriter = forcePromotion(issue("write"));
        HttpResponse<String> byAdmin = forcePromotion(issue("admin"));

        assertThat(byWriter.statusCode()).isEqualTo(403);
        assertThat(byWriter.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(byWriter.body()).contains("needs an admin key");
        assertThat(byAdmin.statusCode()).as(byAdmin.body()).isNotIn(401, 403); // the model does not exist: refused for that
    }

    private static HttpResponse<String> forcePromotion(String key) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                + "/models/nowhere/stages/staging")).header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"version\": 1, \"force\": true}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String issue(String scope) {
        return DatasetServiceApi.request().contentType(ContentType.JSON)
                .body(Map.of("name", "force-" + scope + "-" + UUID.randomUUID(), "scopes", List.of(scope)))
                .post("/api-keys").then().statusCode(201).extract().path("key");
    }
}
