package io.dataline.service.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Covers the introspection cache against a real HTTP endpoint: a known key is asked once while it is cached, an
 * unknown one is cached too (negatively), and a flood of random keys larger than the cache evicts none of the keys
 * in use.
 */
class KeyIntrospectorTest {

    private static final String GOOD = "dl_good-key-0123456789";

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api-keys/introspect", exchange -> {
            requests.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] answer = (body.contains(GOOD) ? "{\"active\": true, \"name\": \"good\", \"scopes\": [\"read\"]}" : "{\"active\": false}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldKeepTheKeysInUseThroughAFloodOfRandomKeys() {
        KeyIntrospector introspector = new KeyIntrospector("http://127.0.0.1:" + server.getAddress().getPort(), "service-key", Duration.ofMinutes(5),
                20);

        assertThat(introspector.introspect(GOOD)).hasValueSatisfying(p -> assertThat(p.name()).isEqualTo("good"));
        assertThat(introspector.introspect("dl_unknown")).isEmpty();
        assertThat(introspector.introspect("dl_unknown")).isEmpty();
        assertThat(requests.get()).isEqualTo(2);

        int flood = 80; // four times what each cache holds
        for (int i = 0; i < flood; i++) {
            assertThat(introspector.introspect("dl_" + UUID.randomUUID())).isEmpty();
        }
        assertThat(introspector.introspect(GOOD)).isPresent();

        assertThat(requests.get()).isEqualTo(2 + flood);
    }
}
