package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.dataset.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A record upload is read and checked before it touches the database: while a client trickles its body, commits and
 * other writers of the same dataset go on (the upload used to hold the dataset's row lock and a pooled connection for
 * up to an hour), and a schema set meanwhile still applies to the records that arrive after it.
 */
@QuarkusTest
class SlowUploadTest {

    @TestHTTPResource("/")
    URL base;

    /** An HTTP/1.1 upload sent in chunks over a raw socket, so the test decides when each part goes. */
    private final class TrickledUpload implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;

        TrickledUpload(String path) throws Exception {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\nAuthorization: Bearer " + Api.ADMIN_KEY
                    + "\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void send(String text) throws Exception {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        /** Ends the body (if the server still reads it) and returns the whole response; the server closes after it. */
        String finish() throws Exception {
            try {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException answeredEarly) {
                // the server answered (and closed) before the end of the body: its answer is still there to read
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    response.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // a reset after the answer: keep what arrived
            }
            return response.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private static String records(int from, int to, String sentiment) {
        return Api.ndjson(from, to, sentiment);
    }

    private static String path(String name) {
        return "/datasets/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void shouldLetOthersCommitWhileAnUploadIsStillArriving() throws Exception {
        String name = Api.newFeedbackDataset("Trickle");
        Api.stage(name, List.of(Api.feedback("first", "one", "neutral"))).then().statusCode(200);
        Api.commit(name, "first").then().statusCode(201);

        try (TrickledUpload upload = new TrickledUpload(path(name) + "/records")) {
            upload.send(records(0, 2000, "positive"));
            Thread.sleep(300); // the server is now reading this body

            // another writer commits its own change set meanwhile: this waited for the upload's row lock before
            String changeSet = Api.admin().contentType(ContentType.JSON).body("{}").post("/datasets/{d}/changesets", name)
                    .then().statusCode(201).extract().path("id");
            Api.admin().contentType(ContentType.JSON).body(List.of(Api.feedback("other", "theirs", "negative")))
                    .post("/datasets/{d}/changesets/{id}/records", name, changeSet).then().statusCode(200);
            long started = System.nanoTime();
            Api.admin().contentType(ContentType.JSON).body(Map.of("message", "meanwhile", "changeset", changeSet))
                    .post("/datasets/{d}/commits", name).then().statusCode(201).body("added", equalTo(1));
            assertThat((System.nanoTime() - started) / 1_000_000).as("the commit did not wait for the upload").isLessThan(10_000);

            upload.send(records(2000, 4000, "positive"));
            String response = upload.finish();
            assertThat(response).startsWith("HTTP/1.1 200").contains("\"staged\":4000");
        }
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(4000));
        Api.commit(name, "the upload").then().statusCode(201).body("added", equalTo(4000)).body("recordCount", equalTo(4002));
    }

    @Test
    void shouldCheckAnUploadAgainstASchemaSetWhileItArrived() throws Exception {
        String name = Api.newFeedbackDataset("Reschema");

        try (TrickledUpload upload = new TrickledUpload(path(name) + "/records")) {
            upload.send(records(0, 50, "neutral"));
            Thread.sleep(300);
            Map<String, Object> strict = new java.util.LinkedHashMap<>(Api.feedbackSchema());
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = new java.util.LinkedHashMap<>((Map<String, Object>) strict.get("properties"));
            properties.put("sentiment", Map.of("enum", List.of("positive", "negative")));
            strict.put("properties", properties);
            Api.admin().contentType(ContentType.JSON).body(strict).put("/datasets/{d}/schema", name).then().statusCode(200)
                    .body("schemaVersion", equalTo(2));

            upload.send(records(50, 60, "neutral"));
            String response = upload.finish();
            assertThat(response).startsWith("HTTP/1.1 422").contains("schema version 2").contains("nothing was staged")
                    .contains("\"key\":\"r0\"").contains("/sentiment");
        }
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0));
    }

    @Test
    void shouldRefuseAnUploadOverItsLimitWithoutKeepingAnyOfIt() throws Exception {
        String name = Api.newFeedbackDataset("Huge");
        try (TrickledUpload upload = new TrickledUpload(path(name) + "/records")) {
            String part = records(0, 50_000, "positive"); // ~3.2 MB each part, against a limit of 24 MiB in tests
            try {
                for (int i = 0; i < 9; i++) {
                    upload.send(part.replace("\"r", "\"p" + i + "-"));
                }
            } catch (java.io.IOException answeredEarly) {
                // the server refused the body part-way and closed: read its answer
            }
            String response = upload.finish();
            assertThat(response).startsWith("HTTP/1.1 413").contains("max-upload-bytes");
        }
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(0));
    }
}
