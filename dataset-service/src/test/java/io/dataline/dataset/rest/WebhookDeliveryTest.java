package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.dataset.Api;
import io.dataline.testsupport.RecordingServer;
import io.dataline.testsupport.RecordingServer.Received;
import io.dataline.dataset.webhooks.Signatures;
import io.dataline.events.EventJson;
import io.dataline.events.GateResult;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Covers deliveries against a real recording HTTP server: commits reach the endpoint from the topic, in commit order,
 * signed with HMAC-SHA256 over the exact body; 5xx and timeouts are retried with backoff until delivered, a 4xx is
 * not retried; every attempt is in the delivery log with status code and time; redelivery sends the same body again;
 * the github-dispatch format carries event_type, client_payload and the token; an endpoint that hangs holds up
 * neither the pipeline (the lineage view) nor other endpoints; a delivery a crashed sender had claimed is sent, under
 * the same delivery id, once its lease runs out.
 */
@QuarkusTest
class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @Inject
    TopicClient topics;

    @Inject
    io.dataline.dataset.WebhookRepository repository;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void shouldDeliverSignedCommitsInOrderAndLogThem() throws Exception {
        try (RecordingServer endpoint = new RecordingServer()) {
            String name = Api.newFeedbackDataset("Delivered");
            String id = register(name, endpoint.url("/hook"), List.of("committed"), Map.of("secret", "a-shared-secret"));
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Api.stage(name, List.of(Api.feedback("k" + i, "text " + i, "positive"))).then().statusCode(200);
                versions.add(Api.commit(name, "commit " + i).then().statusCode(201).extract().path("hash"));
            }

            await().atMost(WAIT).until(() -> endpoint.received().size() >= 3);
            List<Received> received = endpoint.received();
            assertThat(received).hasSize(3);
            for (int i = 0; i < 3; i++) {
                Received request = received.get(i);
                JsonNode body = EventJson.mapper().readTree(request.body());
                assertThat(body.path("event").asText()).isEqualTo("committed");
                assertThat(body.path("dataset").asText()).isEqualTo(name);
                assertThat(body.path("dataVersion").asText()).isEqualTo(versions.get(i));
                assertThat(body.at("/data/message").asText()).isEqualTo("commit " + i);
                assertThat(request.header("X-Dataline-Signature-256")).isEqualTo(Signatures.sign("a-shared-secret", request.body()));
                assertThat(request.header("X-Dataline-Event")).isEqualTo("committed");
                assertThat(request.header("Content-Type")).isEqualTo("application/json");
                assertThat(request.header("Authorization")).isNull();
            }

            // the endpoint has the request before the sender has its answer and logs it: wait for the log, not the request
            await().atMost(WAIT).until(() -> deliveries(id).getList("state", String.class).stream().allMatch("delivered"::equals));
            JsonPath log = deliveries(id);
            assertThat(log.getList("dataVersion", String.class)).containsExactly(versions.get(2), versions.get(1), versions.get(0));
            assertThat(log.getList("state", String.class)).containsExactly("delivered", "delivered", "delivered");
            assertThat(log.getList("statusCode", Integer.class)).containsOnly(200);
            assertThat(log.getList("attemptCount", Integer.class)).containsOnly(1);
            assertThat(log.getList("id", String.class)).containsExactly(received.get(2).header("X-Dataline-Delivery"),
                    received.get(1).header("X-Dataline-Delivery"), received.get(0).header("X-Dataline-Delivery"));
            assertThat(log.getLong("[0].durationMs")).isNotNegative();
        }
    }

    @Test
    void shouldRetryServerErrorsAndTimeoutsButNeverClientErrors() throws Exception {
        try (RecordingServer endpoint = new RecordingServer()) {
            // first delivery: 503, then no answer within the 1 s timeout, then 200; second: 400; third: 200
            endpoint.thenReply(503).thenDelay(Duration.ofSeconds(3)).thenReply(200, 400, 200);
            String name = Api.newFeedbackDataset("Retried");
            String id = register(name, endpoint.url("/flaky"), List.of("committed"), Map.of());
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Api.stage(name, List.of(Api.feedback("k" + i, "text " + i, "neutral"))).then().statusCode(200);
                versions.add(Api.commit(name, "commit " + i).then().statusCode(201).extract().path("hash"));
            }

            await().atMost(WAIT).until(() -> endpoint.received().size() >= 5);
            List<String> order = endpoint.received().stream().map(r -> body(r).path("dataVersion").asText()).toList();
            assertThat(order).containsExactly(versions.get(0), versions.get(0), versions.get(0), versions.get(1), versions.get(2));
            await().atMost(WAIT).until(() -> "delivered".equals(delivery(id, versions.get(2)).getString("state")));

            JsonPath first = delivery(id, versions.get(0));
            assertThat(first.getString("state")).isEqualTo("delivered");
            assertThat(first.getList("attempts.statusCode", Integer.class)).containsExactly(503, null, 200);
            JsonPath log = deliveries(id); // the log's page reads its deliveries' attempts together: each its own, in order
            assertThat(log.getList("find { it.dataVersion == '" + versions.get(0) + "' }.attempts.statusCode", Integer.class))
                    .containsExactly(503, null, 200);
            assertThat(log.getList("find { it.dataVersion == '" + versions.get(2) + "' }.attempts.number", Integer.class)).containsExactly(1);
            assertThat(first.getString("attempts[1].error")).contains("timed out");
            assertThat(first.getList("attempts.number", Integer.class)).containsExactly(1, 2, 3);
            Instant second = Instant.parse(first.getString("attempts[1].at"));
            Instant third = Instant.parse(first.getString("attempts[2].at"));
            assertThat(Instant.parse(first.getString("attempts[0].at"))).isBefore(second);
            assertThat(second).isBefore(third);
            JsonPath rejected = delivery(id, versions.get(1));
            assertThat(rejected.getString("state")).isEqualTo("failed");
            assertThat(rejected.getList("attempts.statusCode", Integer.class)).containsExactly(400);
            assertThat(rejected.getString("attempts[0].error")).contains("not retried");
            assertThat(endpoint.received()).hasSize(5);
        }
    }

    @Test
    void shouldRedeliverTheSameBody() throws Exception {
        try (RecordingServer endpoint = new RecordingServer()) {
            String name = Api.newFeedbackDataset("Redelivered");
            String id = register(name, endpoint.url("/again"), List.of("committed"), Map.of("secret", "s3cret-for-redelivery"));
            Api.stage(name, List.of(Api.feedback("k", "text", "positive"))).then().statusCode(200);
            Api.commit(name, "once").then().statusCode(201);
            await().atMost(WAIT).until(() -> endpoint.received().size() == 1);
            String original = endpoint.received().get(0).header("X-Dataline-Delivery");

            String redelivery = Api.admin().post("/webhooks/{id}/deliveries/{d}/redeliver", id, original).then().statusCode(202)
                    .body("redeliveryOf", equalTo(original)).body("state", equalTo("pending")).extract().path("id");
            await().atMost(WAIT).until(() -> endpoint.received().size() == 2);
            Received again = endpoint.received().get(1);
            assertThat(again.body()).isEqualTo(endpoint.received().get(0).body());
            assertThat(again.header("X-Dataline-Delivery")).isEqualTo(redelivery);
            assertThat(again.header("X-Dataline-Signature-256")).isEqualTo(Signatures.sign("s3cret-for-redelivery", again.body()));
            await().atMost(WAIT).until(() -> "delivered".equals(Api.admin().get("/webhooks/{id}/deliveries/{d}", id, redelivery)
                    .then().extract().path("state")));
            Api.admin().post("/webhooks/{id}/deliveries/{d}/redeliver", id, UUID.randomUUID()).then().statusCode(404);
        }
    }

    @Test
    void shouldDispatchToGitHubWithTheTokenAndEveryEventType() throws Exception {
        try (RecordingServer github = new RecordingServer(); RecordingServer own = new RecordingServer()) {
            String name = Api.uniqueName("Dispatched");
            String slug = Api.createFeedbackDataset(name);
            register(name, github.url("/repos/acme/models/dispatches"), List.of("committed", "promotion-rejected"),
                    Map.of("format", "github-dispatch", "token", "ghp_0123456789abcdef", "secret", "dispatch-secret"));
            register(name, own.url("/hook"), List.of("committed"), Map.of()); // the same event in the other format
            Api.stage(name, List.of(Api.feedback("k", "text", "positive"))).then().statusCode(200);
            String version = Api.commit(name, "Added Q4 2023 feedback data").then().statusCode(201).extract().path("hash");
            await().atMost(WAIT).until(() -> github.received().size() == 1);
            topics.publish(Topics.MODEL_PROMOTION_REJECTED, new ModelPromotionRejectedEvent(UUID.randomUUID(),
                    Instant.now().truncatedTo(ChronoUnit.MILLIS), name, slug, version, UUID.randomUUID(), "deploy-service", slug, 2,
                    "staging", List.of(new GateResult("accuracy", "min", 0.9, 0.5, false)), "accuracy 0.5 below 0.9"));
            await().atMost(WAIT).until(() -> github.received().size() == 2);

            Received committed = github.received().get(0);
            assertThat(committed.path()).isEqualTo("/repos/acme/models/dispatches");
            assertThat(committed.header("Authorization")).isEqualTo("Bearer ghp_0123456789abcdef");
            assertThat(committed.header("Accept")).isEqualTo("application/vnd.github+json");
            assertThat(committed.header("X-Dataline-Signature-256")).isEqualTo(Signatures.sign("dispatch-secret", committed.body()));
            JsonNode body = body(committed);
            assertThat(body.path("event_type").asText()).isEqualTo("new_data_committed");
            assertThat(body.at("/client_payload/dataset").asText()).isEqualTo(name);
            assertThat(body.at("/client_payload/data_version").asText()).isEqualTo(version);
            assertThat(body.at("/client_payload/message").asText()).isEqualTo("Added Q4 2023 feedback data");
            assertThat(body.path("client_payload").size()).isLessThanOrEqualTo(10);
            await().atMost(WAIT).until(() -> own.received().size() == 1);
            JsonNode envelope = body(own.received().get(0));
            assertThat(envelope.path("event").asText()).isEqualTo("committed");
            assertThat(envelope.path("dataVersion").asText()).isEqualTo(version);
            assertThat(envelope.at("/data/message").asText()).isEqualTo("Added Q4 2023 feedback data");
            assertThat(envelope.has("event_type")).isFalse();
            JsonNode rejected = body(github.received().get(1));
            assertThat(rejected.path("event_type").asText()).isEqualTo("model_promotion_rejected");
            assertThat(rejected.at("/client_payload/reason").asText()).isEqualTo("accuracy 0.5 below 0.9");
            assertThat(rejected.at("/client_payload/data_version").asText()).isEqualTo(version);
        }
    }

    @Test
    void shouldHoldUpNeitherThePipelineNorOtherEndpointsWhileOneHangs() throws Exception {
        try (RecordingServer hanging = new RecordingServer(); RecordingServer healthy = new RecordingServer()) {
            hanging.always(200, Duration.ofSeconds(30));
            String name = Api.newFeedbackDataset("Hanging");
            String stuck = register(name, hanging.url("/slow"), List.of("committed"), Map.of());
            register(name, healthy.url("/fast"), List.of("committed"), Map.of());
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Api.stage(name, List.of(Api.feedback("k" + i, "text " + i, "negative"))).then().statusCode(200);
                versions.add(Api.commit(name, "commit " + i).then().statusCode(201).extract().path("hash"));
            }

            await().atMost(WAIT).until(() -> healthy.received().size() == 3);
            for (String version : versions) {
                Api.admin().get("/datasets/{d}/versions/{v}/pipeline", name, version).then().statusCode(200)
                        .body("stages.stage", equalTo(List.of("committed")));
            }
            JsonPath first = delivery(stuck, versions.get(0));
            assertThat(first.getString("state")).isEqualTo("pending");
            assertThat(delivery(stuck, versions.get(2)).getInt("attemptCount")).isZero();
        }
    }

    @Test
    void shouldDeliverWhatACrashedSenderHadClaimedOnceItsLeaseRunsOut() throws Exception {
        try (RecordingServer endpoint = new RecordingServer()) {
            String name = Api.newFeedbackDataset("Orphaned");
            UUID webhook = UUID.fromString(register(name, endpoint.url("/orphan"), List.of("committed"), Map.of()));
            Instant leaseEnds = Instant.now().plusSeconds(2);
            UUID delivery = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
                UUID queued = repository.enqueue(webhook, "committed", UUID.randomUUID(), "a".repeat(64), "{\"event\":\"committed\"}", null)
                        .orElseThrow();
                // what a sender leaves behind when it dies mid-attempt: the attempt counted, the lease running
                try (java.sql.Connection connection = dataSource.getConnection();
                        java.sql.PreparedStatement claim = connection.prepareStatement(
                                "UPDATE webhook_delivery SET attempts = 1, next_attempt_at = ? WHERE delivery_id = ?")) {
                    claim.setTimestamp(1, java.sql.Timestamp.from(leaseEnds));
                    claim.setObject(2, queued);
                    claim.executeUpdate();
                }
                return queued;
            });

            await().atMost(WAIT).until(() -> endpoint.received().size() == 1);
            Received request = endpoint.received().get(0);
            assertThat(request.header("X-Dataline-Delivery")).isEqualTo(delivery.toString());
            assertThat(request.at()).isAfterOrEqualTo(leaseEnds.minusMillis(50));
            await().atMost(WAIT).until(() -> "delivered".equals(Api.admin().get("/webhooks/{id}/deliveries/{d}", webhook, delivery)
                    .then().extract().path("state")));
            Api.admin().get("/webhooks/{id}/deliveries/{d}", webhook, delivery).then()
                    .body("attempts.number", equalTo(List.of(2))).body("attempts[0].statusCode", equalTo(200));
        }
    }

    private static String register(String dataset, String url, List<String> events, Map<String, String> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("url", url);
        body.put("events", events);
        return Api.admin().contentType(ContentType.JSON).body(body).post("/datasets/{d}/webhooks", dataset).then().statusCode(201)
                .extract().path("id");
    }

    private static JsonPath deliveries(String webhook) {
        return Api.admin().get("/webhooks/{id}/deliveries", webhook).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath delivery(String webhook, String dataVersion) {
        List<Map<String, Object>> all = deliveries(webhook).getList("$");
        String id = all.stream().filter(d -> dataVersion.equals(d.get("dataVersion")) && d.get("redeliveryOf") == null)
                .map(d -> (String) d.get("id")).findFirst().orElseThrow();
        return Api.admin().get("/webhooks/{id}/deliveries/{d}", webhook, id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonNode body(Received request) {
        try {
            return EventJson.mapper().readTree(request.body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
