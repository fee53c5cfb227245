package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.dataset.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Covers body limits per endpoint and concurrent uploads: a JSON endpoint refuses a body over 1 MiB (413) or one
 * without a length (411) before reading it, while record uploads stream NDJSON of any length; and uploads racing into
 * one staging area with overlapping keys in opposite orders all succeed (they used to deadlock and answer 500).
 */
@QuarkusTest
class UploadLimitsTest {

    @TestHTTPResource("/")
    URL base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path))
                .header("Authorization", "Bearer " + Api.ADMIN_KEY).header("Content-Type", contentType).POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher streamed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)); // no length: chunked
    }

    @Test
    void shouldLimitJsonBodiesButStreamRecordUploads() throws Exception {
        String name = Api.newFeedbackDataset("Limits");
        String path = "/datasets/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");

        HttpResponse<String> tooLarge = post(path + "/commits", "application/json",
                HttpRequest.BodyPublishers.ofString("{\"message\": \"" + "x".repeat(1_100_000) + "\"}"));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(post(path + "/commits", "application/json", streamed("{\"message\": \"m\"}")).statusCode()).isEqualTo(411);

        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 12_000; i++) { // about 1.3 MB, streamed without a length
            ndjson.append("{\"id\": \"r").append(i).append("\", \"feedback\": \"").append("y".repeat(80)).append("\", \"sentiment\": \"neutral\"}\n");
        }
        HttpResponse<String> upload = post(path + "/records", "application/x-ndjson", streamed(ndjson.toString()));
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        assertThat(upload.body()).contains("\"staged\":12000");
    }

    @Test
    void shouldStageConcurrentOverlappingUploadsWithoutAnError() throws Exception {
        String name = Api.newFeedbackDataset("Racing");
        String path = "/datasets/" + java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/records";
        List<CompletableFuture<HttpResponse<String>>> uploads = new ArrayList<>();
        for (int u = 0; u < 6; u++) {
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                int key = u % 2 == 0 ? i : 2999 - i; // half ascending, half descending: opposite lock orders
                ndjson.append("{\"id\": \"k").append(key).append("\", \"feedback\": \"upload ").append(u).append("\", \"sentiment\": \"neutral\"}\n");
            }
            String body = ndjson.toString();
            uploads.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post(path, "application/x-ndjson", streamed(body));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<HttpResponse<String>> upload : uploads) {
            HttpResponse<String> answer = upload.join();
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        Api.admin().get("/datasets/{d}/staged", name).then().statusCode(200).body("upserts", org.hamcrest.Matchers.equalTo(3000));
    }
}
