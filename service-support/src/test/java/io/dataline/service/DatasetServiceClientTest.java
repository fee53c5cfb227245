package io.dataline.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Covers reading a version's records: all of them pass; an export that ends early (dataset-service stopped mid-way)
 * fails as a transient outage, to be read again, instead of passing as a smaller version.
 */
class DatasetServiceClientTest {

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private DatasetServiceClient serving(int recordCount, String ndjson) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/datasets/d/versions/v", exchange -> {
            boolean records = exchange.getRequestURI().getPath().endsWith("/records");
            byte[] body = (records ? ndjson : "{\"hash\":\"v\",\"recordCount\":" + recordCount + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new DatasetServiceClient("http://127.0.0.1:" + server.getAddress().getPort(), "key", Duration.ofSeconds(5), new ObjectMapper());
    }

    @Test
    void shouldStreamEveryRecordOfTheVersion() throws IOException {
        List<JsonNode> read = new ArrayList<>();
        serving(2, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n").forEachRecord("d", "v", read::add);
        assertThat(read).extracting(r -> r.path("id").asText()).containsExactly("a", "b");
    }

    @Test
    void shouldRefuseAnExportCutShort() throws IOException {
        DatasetServiceClient client = serving(3, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
        assertThatThrownBy(() -> client.forEachRecord("d", "v", record -> { }))
                .isInstanceOf(DatasetServiceUnavailableException.class).hasMessageContaining("read 2 records").hasMessageContaining("holds 3");
    }
}
