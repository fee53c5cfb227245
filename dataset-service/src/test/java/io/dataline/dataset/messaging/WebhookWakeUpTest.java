package io.dataline.dataset.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.dataset.Api;
import io.dataline.events.EventJson;
import io.dataline.testsupport.RecordingServer;
import io.dataline.testsupport.RecordingServer.Received;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The webhook senders with a poll interval of an hour, so that only wake-ups can send anything: a commit's deliveries
 * to two endpoints of a dataset go out, and an endpoint that answers slowly still gets every delivery, in commit
 * order, although the later ones were queued while the first was in flight (their wake-ups found them held back;
 * the sender that ended the first one looks again at once); and a backlog that no wake-up announced (deliveries left
 * from before a restart, retries come due) is drained whole by the senders' next poll, not one delivery per sender.
 */
@QuarkusTest
@TestProfile(WebhookWakeUpTest.NoPolling.class)
class WebhookWakeUpTest {

    @Inject
    WebhookSender sender;

    @Inject
    io.dataline.dataset.WebhookRepository repository;

    /** Senders that look for due deliveries only when woken. */
    public static class NoPolling implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dataline.webhooks.poll-interval", "1h");
        }
    }

    @Test
    void shouldSendEveryDeliveryOnWakeUpsAloneInOrderPerEndpoint() throws Exception {
        try (RecordingServer slow = new RecordingServer(); RecordingServer fast = new RecordingServer()) {
            slow.always(200, Duration.ofMillis(400));
            String name = Api.newFeedbackDataset("Woken");
            register(name, slow.url("/slow"));
            register(name, fast.url("/fast"));
            List<String> versions = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Api.stage(name, List.of(Api.feedback("k" + i, "text " + i, "positive"))).then().statusCode(200);
                versions.add(Api.commit(name, "commit " + i).then().statusCode(201).extract().path("hash"));
            }

            await().atMost(Duration.ofSeconds(45)).until(() -> slow.received().size() >= 4 && fast.received().size() >= 4);
            assertThat(slow.received().stream().map(WebhookWakeUpTest::version).toList()).containsExactlyElementsOf(versions);
            assertThat(fast.received().stream().map(WebhookWakeUpTest::version).toList()).containsExactlyElementsOf(versions);
            Thread.sleep(500); // nothing is sent twice
            assertThat(slow.received()).hasSize(4);
            assertThat(fast.received()).hasSize(4);
        }
    }

    @Test
    void shouldDrainABacklogThatNoWakeUpAnnouncedOnOnePoll() throws Exception {
        try (RecordingServer endpoint = new RecordingServer()) {
            String name = Api.newFeedbackDataset("Backlog");
            List<UUID> webhooks = new ArrayList<>();
            for (int i = 0; i < 12; i++) { // three times the senders: each must go on after its first delivery
                webhooks.add(UUID.fromString(register(name, endpoint.url("/backlog/" + i))));
            }
            // queued as a restart would find them: in the table, no transaction's wake-up behind them
            io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
                for (UUID webhook : webhooks) {
                    repository.enqueue(webhook, "committed", UUID.randomUUID(), "b".repeat(64), "{\"event\":\"committed\"}", null)
                            .orElseThrow();
                }
            });
            Thread.sleep(300);
            assertThat(endpoint.received()).isEmpty(); // the hour's poll has not come: nothing woke a sender

            sender.pollNow();

            await().atMost(Duration.ofSeconds(45)).until(() -> endpoint.received().size() >= 12);
            assertThat(endpoint.received().stream().map(Received::path).distinct()).hasSize(12);
        }
    }

    private static String register(String dataset, String url) {
        return Api.admin().contentType(ContentType.JSON).body(Map.of("url", url, "events", List.of("committed")))
                .post("/datasets/{d}/webhooks", dataset).then().statusCode(201).extract().path("id");
    }

    private static String version(Received request) {
        try {
            JsonNode body = EventJson.mapper().readTree(request.body());
            return body.path("dataVersion").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
