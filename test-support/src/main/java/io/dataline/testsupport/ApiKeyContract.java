package io.dataline.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

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
 * One key everywhere, checked the same way on each service that verifies keys by introspection against the real
 * dataset-service (subclass it in a {@code @QuarkusTest}): no key or an unknown key → 401 problem+json with
 * {@code WWW-Authenticate: Bearer}; a read key may read but not change state (403); a write key may; a key limited to
 * some datasets may not touch another's (403); a revoked key
 * stops working within the cache time. (Health, open, is on the management interface: {@link OperationalEndpointsContract}.)
 */
public abstract class ApiKeyContract {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String readPath;
    private final String[] writeRequest;
    private final java.util.function.UnaryOperator<String> datasetPath;

    /**
     * {@code readPath}: a GET this service answers (any status but 401/403 counts as let through);
     * {@code writeRequest}: a state-changing request (method, path, JSON body or null); {@code datasetPath}: a GET about
     * one dataset (or its model), by slug.
     */
    protected ApiKeyContract(String readPath, String[] writeRequest, java.util.function.UnaryOperator<String> datasetPath) {
        this.readPath = readPath;
        this.writeRequest = writeRequest;
        this.datasetPath = datasetPath;
    }

    private String readPath() {
        return readPath;
    }

    private String[] writeRequest() {
        return writeRequest;
    }

    private String datasetPath(String slug) {
        return datasetPath.apply(slug);
    }

    private HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String key(String scope) {
        return DatasetServiceApi.request().contentType(ContentType.JSON)
                .body(Map.of("name", "contract-" + scope + "-" + UUID.randomUUID(), "scopes", List.of(scope)))
                .post("/api-keys").then().statusCode(201).extract().path("key");
    }

    @Test
    void shouldRefuseRequestsWithoutAValidKey() throws Exception {
        HttpResponse<String> none = send("GET", readPath(), null, null);
        HttpResponse<String> unknown = send("GET", readPath(), null, "dl_not_a_key");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(unknown.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldLetAReadKeyReadButNotWrite() throws Exception {
        String read = key("read");
        String[] write = writeRequest();

        assertThat(send("GET", readPath(), null, read).statusCode()).isNotIn(401, 403);
        HttpResponse<String> refused = send(write[0], write[1], write[2], read);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(refused.body()).contains("needs the write scope");
        assertThat(send(write[0], write[1], write[2], key("write")).statusCode()).isNotIn(401, 403);
    }

    @Test
    void shouldLimitAKeyToItsDatasets() throws Exception {
        String name = DatasetServiceApi.uniqueName("Limited");
        String slug = DatasetServiceApi.create(name, null);
        String limited = DatasetServiceApi.request().contentType(ContentType.JSON)
                .body(Map.of("name", "contract-limited-" + UUID.randomUUID(), "scopes", List.of("read"), "datasets", List.of(name)))
                .post("/api-keys").then().statusCode(201).extract().path("key");

        assertThat(send("GET", datasetPath(slug), null, limited).statusCode()).isNotIn(401, 403);
        HttpResponse<String> other = send("GET", datasetPath("someone-elses-data"), null, limited);
        assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
        assertThat(other.body()).contains("not allowed to use dataset");
    }

    @Test
    void shouldStopAcceptingARevokedKey() throws Exception {
        String name = "revoked-" + UUID.randomUUID();
        var created = DatasetServiceApi.request().contentType(ContentType.JSON).body(Map.of("name", name, "scopes", List.of("read")))
                .post("/api-keys").then().statusCode(201).extract();
        String key = created.path("key");
        assertThat(send("GET", readPath(), null, key).statusCode()).isNotIn(401, 403);

        DatasetServiceApi.request().delete("/api-keys/{id}", (String) created.path("id")).then().statusCode(204);

        long deadline = System.nanoTime() + 30_000_000_000L;
        int status;
        do {
            Thread.sleep(500);
            status = send("GET", readPath(), null, key).statusCode();
        } while (status != 401 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(401);
    }
}
