package io.dataline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.DatasetServiceProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The contract cases every SDK passes ({@code clients/contract/README.md}) that need dataset-service only: a commit
 * whose answer is lost is retried with its Idempotency-Key and commits once (through a proxy that drops that answer);
 * 10,000 records streamed in key order; 429/503 retried honouring Retry-After against a fake server. The pipeline
 * case (follow to {@code promoted}) is {@link JavaClientPipelineIT}.
 */
class ContractCasesTest {

    private static List<Map<String, Object>> feedback(int count, int from) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            records.add(Map.of("id", String.format("usr_%06d", i), "feedback", "record " + i, "sentiment", i % 2 == 0 ? "positive" : "negative"));
        }
        return records;
    }

    @Test
    void shouldCommitOnceWhenTheFirstAnswerIsLost() throws Exception {
        String name = DatasetServiceApi.uniqueName("SDK retry");
        DatasetServiceApi.create(name, null);
        List<String> keys = Collections.synchronizedList(new ArrayList<>());
        HttpClient upstream = HttpClient.newHttpClient();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> forward(exchange, upstream, keys));
        proxy.start();
        try {
            Dataline client = Dataline.connect("http://127.0.0.1:" + proxy.getAddress().getPort(), DatasetServiceProcess.ADMIN_KEY)
                    .withRetries(3, Duration.ofMillis(10));
            DatasetHandle dataset = client.dataset(name);
            Version version = dataset.add(feedback(3, 0)).commit("retried once");

            assertThat(keys).hasSize(2);
            assertThat(keys.get(1)).as("the retry carries the first attempt's key").isEqualTo(keys.get(0));
            assertThat(version.recordCount()).isEqualTo(3);
            assertThat(dataset.versions()).extracting(Version::hash).as("committed exactly once").containsExactly(version.hash());
        } finally {
            proxy.stop(0);
        }
    }

    /** Forwards to dataset-service; the answer to the first commit is dropped after the commit happened. */
    private static void forward(HttpExchange exchange, HttpClient upstream, List<String> keys) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(DatasetServiceProcess.instance().url() + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String header : List.of("Authorization", "Content-Type", "Accept", "Idempotency-Key")) {
                String value = exchange.getRequestHeaders().getFirst(header);
                if (value != null) {
                    request.header(header, value);
                }
            }
            HttpResponse<byte[]> answer = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (exchange.getRequestURI().getPath().endsWith("/commits")) {
                keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                if (keys.size() == 1) {
                    return; // closed with no answer: the connection drops, as a reset on the way back would drop it
                }
            }
            answer.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders().set("Content-Type", type));
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldCommitOnABranchAndLeaveMainAsItWas() throws InterruptedException {
        String name = DatasetServiceApi.uniqueName("SDK branch");
        DatasetServiceApi.create(name, null);
        DatasetHandle dataset = Dataline.connect(DatasetServiceProcess.instance().url(), DatasetServiceProcess.ADMIN_KEY).dataset(name);
        Version base = dataset.add(feedback(4, 0)).commit("base");
        assertThat(dataset.createBranch("relabel", null).path("version").asText()).isEqualTo(base.hash());

        DatasetHandle relabel = dataset.branch("relabel");
        Version relabelled = relabel.add(Map.of("id", "usr_000000", "feedback", "record 0", "sentiment", "negative"))
                .commit("relabelled", null, base.hash());
        assertThat(relabelled.branch()).isEqualTo("relabel");
        assertThat(relabel.versions()).extracting(Version::hash).containsExactly(relabelled.hash(), base.hash());
        assertThat(dataset.versions()).extracting(Version::hash).as("main is untouched").containsExactly(base.hash());
        PullRequestHandle pull = relabel.openPullRequest("main", "Relabel one record", null);
        assertThat(pull.show().path("mergeBase").asText()).isEqualTo(base.hash());
        assertThat(pull.diff().path("changedCount").asInt()).isEqualTo(1);
        // dataset-service alone here: no validation-service runs the branch head's pipeline, so its checks stay pending
        assertThat(pull.checks().path("head").asText()).isEqualTo(relabelled.hash());
        assertThat(pull.awaitChecks(java.time.Duration.ofMillis(300)).path("state").asText()).isEqualTo("pending");
        assertThat(pull.merge(null).path("mergeVersion").asText()).as("a fast-forward").isEqualTo(relabelled.hash());
        assertThat(dataset.versions()).extracting(Version::hash).containsExactly(relabelled.hash(), base.hash());
        dataset.tag("before-relabel", base.hash());
        assertThat(dataset.version("before-relabel").hash()).isEqualTo(base.hash());
        dataset.deleteBranch("relabel");
        assertThat(dataset.branches().findValuesAsText("name")).containsExactly("main");
        assertThatThrownBy(() -> dataset.branch("relabel").add(feedback(1, 0))).isInstanceOf(DatalineException.NotFound.class);
    }

    @Test
    void shouldStreamTenThousandRecordsInKeyOrder() {
        String name = DatasetServiceApi.uniqueName("SDK export");
        DatasetServiceApi.create(name, null);
        DatasetHandle dataset = Dataline.connect(DatasetServiceProcess.instance().url(), DatasetServiceProcess.ADMIN_KEY).dataset(name);
        for (int from = 0; from < 10_000; from += 2_500) {
            dataset.add(feedback(2_500, from));
        }
        Version version = dataset.commit("ten thousand");
        assertThat(version.recordCount()).isEqualTo(10_000);

        AtomicInteger count = new AtomicInteger();
        String[] previous = {""};
        try (Stream<JsonNode> records = dataset.records(version.hash())) {
            records.forEach(r -> {
                assertThat(r.path("id").asText()).isGreaterThan(previous[0]);
                previous[0] = r.path("id").asText();
                count.incrementAndGet();
            });
        }
        assertThat(count).hasValue(10_000);
    }

    @Test
    void shouldRetryBusyAnswersHonouringRetryAfterWithOneIdempotencyKey() throws Exception {
        List<Map<String, String>> seen = Collections.synchronizedList(new ArrayList<>());
        String version = "{\"hash\":\"" + "a".repeat(64) + "\",\"recordCount\":1}";
        List<Object[]> answers = List.of(new Object[] {201, "{\"id\":\"cs-1\"}", null}, new Object[] {200, "{}", null},
                new Object[] {503, "{\"detail\":\"busy\"}", "0"}, new Object[] {429, "{\"detail\":\"busy\"}", "1"}, new Object[] {201, version, null},
                new Object[] {503, "{\"detail\":\"busy for good\"}", "0"});
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        fake.createContext("/", exchange -> {
            try (exchange) {
                Map<String, String> request = new HashMap<>();
                request.put("path", exchange.getRequestURI().getPath());
                request.put("key", exchange.getRequestHeaders().getFirst("Idempotency-Key"));
                request.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                seen.add(request);
                Object[] answer = answers.get(Math.min(seen.size(), answers.size()) - 1);
                if (answer[2] != null) {
                    exchange.getResponseHeaders().set("Retry-After", (String) answer[2]);
                }
                byte[] body = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders((int) answer[0], body.length);
                exchange.getResponseBody().write(body);
            }
        });
        fake.start();
        try {
            DatasetHandle dataset = Dataline.connect("http://127.0.0.1:" + fake.getAddress().getPort(), "k")
                    .withRetries(4, Duration.ofMillis(1)).dataset("feedback");
            long started = System.nanoTime();
            Version committed = dataset.add(Map.of("id", "1")).commit("retried");

            assertThat(committed.hash()).isEqualTo("a".repeat(64));
            List<Map<String, String>> commits = seen.stream().filter(r -> r.get("path").endsWith("/commits")).toList();
            assertThat(commits).hasSize(3);
            assertThat(commits).extracting(r -> r.get("key")).doesNotContainNull().containsOnly(commits.get(0).get("key"));
            assertThat(commits).extracting(r -> r.get("body")).containsOnly(commits.get(0).get("body"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("Retry-After: 1 was honoured").isGreaterThanOrEqualTo(Duration.ofMillis(900));

            assertThatThrownBy(() -> Dataline.connect("http://127.0.0.1:" + fake.getAddress().getPort(), "k").withRetries(0, Duration.ZERO)
                    .dataset("feedback").commit("again")).isInstanceOfSatisfying(DatalineException.Unavailable.class,
                            e -> assertThat(e.getMessage()).isEqualTo("busy for good"));
        } finally {
            fake.stop(0);
        }
    }

}
