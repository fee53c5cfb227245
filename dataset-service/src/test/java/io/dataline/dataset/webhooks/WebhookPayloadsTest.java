package io.dataline.dataset.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.FailedCheck;
import io.dataline.events.GateResult;
import io.dataline.events.ModelMetrics;
import io.dataline.events.ModelCandidateEvaluatedEvent;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.PipelineEvent;
import io.dataline.events.PullChecksCompletedEvent;
import io.dataline.events.PullClosedEvent;
import io.dataline.events.PullMergedEvent;
import io.dataline.events.PullOpenedEvent;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.testsupport.SampleEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Covers delivery bodies: every webhook event in both formats — the Dataline envelope carries the whole event, the
 * repository_dispatch body has the right {@code event_type} and a {@code client_payload} with dataset, data version
 * and the event's essentials within GitHub's 10 top-level properties.
 */
class WebhookPayloadsTest {

    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
    private static final String VERSION = "a".repeat(64);

    @Test
    void shouldFitEveryEventIntoARepositoryDispatch() throws Exception {
        Map<WebhookEvent, PipelineEvent> events = events();
        assertThat(events.keySet()).containsExactlyInAnyOrder(WebhookEvent.values());
        for (Map.Entry<WebhookEvent, PipelineEvent> entry : events.entrySet()) {
            JsonNode body = EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.GITHUB_DISPATCH, entry.getKey(), entry.getValue()));
            assertThat(body.size()).isEqualTo(2);
            assertThat(body.path("event_type").asText()).isEqualTo(entry.getKey().dispatchType());
            JsonNode payload = body.path("client_payload");
            assertThat(payload.size()).as(entry.getKey().wireName()).isBetween(3, WebhookPayloads.MAX_DISPATCH_PROPERTIES);
            assertThat(payload.path("dataset").asText()).isEqualTo("Customer Feedback Analysis");
            assertThat(payload.path("data_version").asText()).isEqualTo(VERSION);
            assertThat(payload.path("event_id").asText()).isEqualTo(entry.getValue().eventId().toString());
        }
        JsonNode committed = EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.GITHUB_DISPATCH, WebhookEvent.COMMITTED,
                events.get(WebhookEvent.COMMITTED)));
        assertThat(committed.path("event_type").asText()).isEqualTo("new_data_committed");
        assertThat(committed.at("/client_payload/message").asText()).isEqualTo("Added Q4 2023 feedback data");
        JsonNode failed = EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.GITHUB_DISPATCH, WebhookEvent.VALIDATION_FAILED,
                events.get(WebhookEvent.VALIDATION_FAILED)));
        assertThat(failed.at("/client_payload/failed_checks/0").asText()).isEqualTo("minRecords");
        JsonNode registered = EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.GITHUB_DISPATCH, WebhookEvent.REGISTERED,
                events.get(WebhookEvent.REGISTERED)));
        assertThat(registered.at("/client_payload/metrics/accuracy").asDouble()).isEqualTo(0.91);
        assertThat(registered.at("/client_payload/branch").asText()).isEqualTo("main"); // an event that names no branch is main's
        JsonNode checks = EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.GITHUB_DISPATCH, WebhookEvent.PULL_CHECKS_COMPLETED,
                events.get(WebhookEvent.PULL_CHECKS_COMPLETED)));
        assertThat(checks.path("event_type").asText()).isEqualTo("data_pull_checks_completed");
        assertThat(checks.path("client_payload")).isEqualTo(EventJson.mapper().readTree(("{'dataset': 'Customer Feedback Analysis', "
                + "'data_version': '" + VERSION + "', 'event_id': '" + events.get(WebhookEvent.PULL_CHECKS_COMPLETED).eventId() + "', "
                + "'branch': 'relabel', 'pull_request': 7, 'from': 'relabel', 'into': 'main', 'state': 'success', 'outcome': 'passed', "
                + "'summary': 'validation passed (4 checks); candidate passed the promotion gates'}").replace('\'', '"')));
        assertThat(EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.GITHUB_DISPATCH, WebhookEvent.PULL_OPENED,
                events.get(WebhookEvent.PULL_OPENED))).path("event_type").asText()).isEqualTo("data_pull_opened");
        assertThat(EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.GITHUB_DISPATCH, WebhookEvent.PULL_MERGED,
                events.get(WebhookEvent.PULL_MERGED))).at("/client_payload/merged_by").asText()).isEqualTo("reviewer");
    }

    @Test
    void shouldWriteANullEssentialAsNullAndLeaveOutAPreviousVersionThatDoesNotExist() throws Exception {
        JsonNode first = EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.GITHUB_DISPATCH, WebhookEvent.COMMITTED,
                new DatasetCommittedEvent(id(), AT, "d", "d", VERSION, null, "dataset-service", "b".repeat(64), null, "first", "bot", AT, 1, 1,
                        0, 0, 1, null))).path("client_payload");
        assertThat(first.has("parent")).isTrue();
        assertThat(first.path("parent").isNull()).isTrue();
        assertThat(first.path("record_count").asLong()).isEqualTo(1);
        JsonNode promoted = EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.GITHUB_DISPATCH, WebhookEvent.PROMOTED,
                new ModelPromotedEvent(id(), AT, "d", "d", VERSION, id(), "deploy-service", "d", 1, null, "staging", false, List.of())))
                .path("client_payload");
        assertThat(promoted.has("previous_version")).isFalse();
        assertThat(promoted.path("model_version").asInt()).isEqualTo(1);
        assertThat(WebhookPayloads.snakeCase("artifactSha256")).isEqualTo("artifact_sha256");
    }

    @Test
    void shouldWrapTheWholeEventInTheDatalineFormat() throws Exception {
        PipelineEvent promoted = events().get(WebhookEvent.PROMOTED);
        JsonNode body = EventJson.mapper().readTree(WebhookPayloads.body(WebhookFormat.DATALINE, WebhookEvent.PROMOTED, promoted));
        assertThat(body.path("event").asText()).isEqualTo("promoted");
        assertThat(body.path("dataset").asText()).isEqualTo("Customer Feedback Analysis");
        assertThat(body.path("datasetSlug").asText()).isEqualTo("customer-feedback-analysis");
        assertThat(body.path("dataVersion").asText()).isEqualTo(VERSION);
        assertThat(body.path("data")).isEqualTo(EventJson.mapper().valueToTree(promoted));
    }

    @Test
    void shouldMapTopicsToWebhookEvents() {
        assertThat(WebhookEvent.of(SampleEvents.committed("x"))).contains(WebhookEvent.COMMITTED);
        assertThat(WebhookEvent.parse("promotion-rejected")).contains(WebhookEvent.PROMOTION_REJECTED);
        assertThat(WebhookEvent.parse("training-started")).isEmpty();
    }

    private static Map<WebhookEvent, PipelineEvent> events() {
        String name = "Customer Feedback Analysis";
        String slug = "customer-feedback-analysis";
        List<GateResult> gates = List.of(new GateResult("accuracy", "min", 0.8, 0.91, true));
        return Map.ofEntries(Map.entry(
                WebhookEvent.COMMITTED, new DatasetCommittedEvent(id(), AT, name, slug, VERSION, null, "dataset-service", "b".repeat(64),
                        "c".repeat(64), "Added Q4 2023 feedback data", "ingest-bot", AT, 302, 2, 0, 0, 1, null)), Map.entry(
                WebhookEvent.VALIDATED, new DatasetValidatedEvent(id(), AT, name, slug, VERSION, id(), "validation-service", 1,
                        "http://127.0.0.1:8081/reports/x", 4, List.of())), Map.entry(
                WebhookEvent.VALIDATION_FAILED, new DatasetValidationFailedEvent(id(), AT, name, slug, VERSION, id(), "validation-service", 1,
                        "http://127.0.0.1:8081/reports/x", 4, List.of(),
                        List.of(new FailedCheck("minRecords", null, IntNode.valueOf(2), IntNode.valueOf(100), List.of())))), Map.entry(
                WebhookEvent.RUN_FAILED, new TrainingRunFailedEvent(id(), AT, name, slug, VERSION, id(), "training-orchestrator", "run-1",
                        slug, "builtin", "trainer exited with 1")), Map.entry(
                WebhookEvent.REGISTERED, new ModelRegisteredEvent(id(), AT, name, slug, VERSION, id(), "training-orchestrator", "run-1",
                        slug, 3, new ModelMetrics(0.91, 0.9, 0.3), 2, new ModelMetrics(0.88, 0.87, 0.35),
                        "http://127.0.0.1:8082/models/x/versions/3/artifact", "d".repeat(64), 1)), Map.entry(
                WebhookEvent.PROMOTED, new ModelPromotedEvent(id(), AT, name, slug, VERSION, id(), "deploy-service", slug, 3, 2, "staging",
                        false, gates)), Map.entry(
                WebhookEvent.PROMOTION_REJECTED, new ModelPromotionRejectedEvent(id(), AT, name, slug, VERSION, id(), "deploy-service", slug,
                        3, "staging", gates, "accuracy below baseline")), Map.entry(
                WebhookEvent.CANDIDATE_EVALUATED, new ModelCandidateEvaluatedEvent(id(), AT, name, slug, VERSION, id(), "deploy-service", slug,
                        4, "staging", 3, true, gates, null, "relabel")), Map.entry(
                WebhookEvent.PULL_OPENED, new PullOpenedEvent(id(), AT, name, slug, VERSION, null, "dataset-service", 7, "relabel", "main",
                        "Relabel Q4", "labelling-team", "c".repeat(64), "relabel")), Map.entry(
                WebhookEvent.PULL_CHECKS_COMPLETED, new PullChecksCompletedEvent(id(), AT, name, slug, VERSION, id(), "dataset-service", 7,
                        "relabel", "main", "success", "passed", "validation passed (4 checks); candidate passed the promotion gates", "relabel")),
                Map.entry(WebhookEvent.PULL_MERGED, new PullMergedEvent(id(), AT, name, slug, VERSION, null, "dataset-service", 7, "relabel",
                        "main", "reviewer", true, "main")), Map.entry(
                WebhookEvent.PULL_CLOSED, new PullClosedEvent(id(), AT, name, slug, VERSION, null, "dataset-service", 8, "relabel", "main",
                        "labelling-team", "relabel")));
    }

    private static UUID id() {
        return UUID.randomUUID();
    }
}
