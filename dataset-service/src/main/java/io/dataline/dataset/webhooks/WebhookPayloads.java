package io.dataline.dataset.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.EventJson;
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
import java.util.List;
import java.util.Map;

/**
 * The body of a delivery, built once when the event is consumed and stored, so a redelivery sends the same bytes.
 *
 * <ul>
 * <li>{@code dataline}: {@code {event, eventId, occurredAt, dataset, datasetSlug, dataVersion, data}} where {@code data}
 * is the whole event as it is on the topic.</li>
 * <li>{@code github-dispatch}: {@code {event_type, client_payload}} for {@code POST /repos/{owner}/{repo}/dispatches};
 * {@code client_payload} holds {@code dataset}, {@code data_version}, {@code event_id}, {@code branch} and the event's essentials,
 * at most {@value #MAX_DISPATCH_PROPERTIES} top-level properties (GitHub's limit).</li>
 * </ul>
 */
public final class WebhookPayloads {

    public static final int MAX_DISPATCH_PROPERTIES = 10;

    private WebhookPayloads() {
    }

    public static String body(WebhookFormat format, WebhookEvent kind, PipelineEvent event) {
        ObjectNode body = format == WebhookFormat.GITHUB_DISPATCH ? dispatch(kind, event) : dataline(kind, event);
        try {
            return EventJson.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a webhook body", e);
        }
    }

    private static ObjectNode dataline(WebhookEvent kind, PipelineEvent event) {
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("event", kind.wireName());
        body.put("eventId", event.eventId().toString());
        body.put("occurredAt", event.occurredAt().toString());
        body.put("dataset", event.dataset());
        body.put("datasetSlug", event.datasetSlug());
        body.put("dataVersion", event.dataVersion());
        body.set("data", EventJson.mapper().valueToTree(event));
        return body;
    }

    /**
     * The essentials of each event type in a dispatch: its fields as on the topic, in this order, written in snake_case
     * ({@code number} as {@code pull_request}, {@code failedChecks} as the names of the checks); a field marked {@code ?}
     * is left out when it is null, any other is written as it is (null included).
     */
    private static final Map<Class<? extends PipelineEvent>, List<String>> ESSENTIALS = Map.ofEntries(
            Map.entry(DatasetCommittedEvent.class, List.of("parent", "message", "author", "recordCount", "pipelineRevision")),
            Map.entry(DatasetValidatedEvent.class, List.of("reportUrl", "checksRun", "pipelineRevision")),
            Map.entry(DatasetValidationFailedEvent.class, List.of("reportUrl", "checksRun", "failedChecks", "pipelineRevision")),
            Map.entry(TrainingRunFailedEvent.class, List.of("runId", "model", "trainer", "reason")),
            Map.entry(ModelRegisteredEvent.class, List.of("model", "modelVersion", "runId", "artifactUri", "artifactSha256", "metrics")),
            Map.entry(ModelPromotedEvent.class, List.of("model", "modelVersion", "previousVersion?", "stage", "rollback")),
            Map.entry(ModelPromotionRejectedEvent.class, List.of("model", "modelVersion", "stage", "reason")),
            Map.entry(ModelCandidateEvaluatedEvent.class, List.of("model", "modelVersion", "passed", "reason")),
            Map.entry(PullOpenedEvent.class, List.of("number", "from", "into", "title", "author")),
            Map.entry(PullChecksCompletedEvent.class, List.of("number", "from", "into", "state", "outcome", "summary")),
            Map.entry(PullMergedEvent.class, List.of("number", "from", "into", "mergedBy")),
            Map.entry(PullClosedEvent.class, List.of("number", "from", "into", "closedBy")));

    private static ObjectNode dispatch(WebhookEvent kind, PipelineEvent event) {
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("event_type", kind.dispatchType());
        ObjectNode payload = body.putObject("client_payload");
        payload.put("dataset", event.dataset());
        payload.put("data_version", event.dataVersion());
        payload.put("event_id", event.eventId().toString());
        payload.put("branch", event.branchOrMain());
        JsonNode fields = EventJson.mapper().valueToTree(event);
        for (String essential : ESSENTIALS.getOrDefault(event.getClass(), List.of())) {
            boolean optional = essential.endsWith("?");
            String field = optional ? essential.substring(0, essential.length() - 1) : essential;
            JsonNode value = fields.path(field);
            if (value.isMissingNode() || value.isNull()) {
                if (!optional) {
                    payload.putNull(snakeCase(field));
                }
            } else if (field.equals("failedChecks")) {
                ArrayNode names = payload.putArray("failed_checks");
                value.forEach(check -> names.add(check.path("check")));
            } else {
                payload.set(field.equals("number") ? "pull_request" : snakeCase(field), value);
            }
        }
        if (payload.size() > MAX_DISPATCH_PROPERTIES) {
            throw new IllegalStateException("client_payload of " + kind.wireName() + " has " + payload.size() + " properties");
        }
        return body;
    }

    /** {@code artifactSha256} → {@code artifact_sha256}. */
    static String snakeCase(String camelCase) {
        return camelCase.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
    }
}
