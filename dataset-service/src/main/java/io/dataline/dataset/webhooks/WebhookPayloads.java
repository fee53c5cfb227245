package io.dataline.dataset.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.FailedCheck;
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

    private static ObjectNode dispatch(WebhookEvent kind, PipelineEvent event) {
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("event_type", kind.dispatchType());
        ObjectNode payload = body.putObject("client_payload");
        payload.put("dataset", event.dataset());
        payload.put("data_version", event.dataVersion());
        payload.put("event_id", event.eventId().toString());
        payload.put("branch", event.branchOrMain());
        if (event instanceof DatasetCommittedEvent committed) {
            payload.put("parent", committed.parent());
            payload.put("message", committed.message());
            payload.put("author", committed.author());
            payload.put("record_count", committed.recordCount());
            payload.put("pipeline_revision", committed.pipelineRevision());
        } else if (event instanceof DatasetValidatedEvent validated) {
            payload.put("report_url", validated.reportUrl());
            payload.put("checks_run", validated.checksRun());
            payload.put("pipeline_revision", validated.pipelineRevision());
        } else if (event instanceof DatasetValidationFailedEvent failed) {
            payload.put("report_url", failed.reportUrl());
            payload.put("checks_run", failed.checksRun());
            ArrayNode checks = payload.putArray("failed_checks");
            for (FailedCheck check : failed.failedChecks()) {
                checks.add(check.check());
            }
            payload.put("pipeline_revision", failed.pipelineRevision());
        } else if (event instanceof TrainingRunFailedEvent runFailed) {
            payload.put("run_id", runFailed.runId());
            payload.put("model", runFailed.model());
            payload.put("trainer", runFailed.trainer());
            payload.put("reason", runFailed.reason());
        } else if (event instanceof ModelRegisteredEvent registered) {
            payload.put("model", registered.model());
            payload.put("model_version", registered.modelVersion());
            payload.put("run_id", registered.runId());
            payload.put("artifact_uri", registered.artifactUri());
            payload.put("artifact_sha256", registered.artifactSha256());
            payload.set("metrics", EventJson.mapper().valueToTree(registered.metrics()));
        } else if (event instanceof ModelPromotedEvent promoted) {
            payload.put("model", promoted.model());
            payload.put("model_version", promoted.modelVersion());
            if (promoted.previousVersion() != null) {
                payload.put("previous_version", promoted.previousVersion());
            }
            payload.put("stage", promoted.stage());
            payload.put("rollback", promoted.rollback());
        } else if (event instanceof ModelPromotionRejectedEvent rejected) {
            payload.put("model", rejected.model());
            payload.put("model_version", rejected.modelVersion());
            payload.put("stage", rejected.stage());
            payload.put("reason", rejected.reason());
        } else if (event instanceof ModelCandidateEvaluatedEvent evaluated) {
            payload.put("model", evaluated.model());
            payload.put("model_version", evaluated.modelVersion());
            payload.put("passed", evaluated.passed());
            payload.put("reason", evaluated.reason());
        } else {
            pull(event, payload);
        }
        if (payload.size() > MAX_DISPATCH_PROPERTIES) {
            throw new IllegalStateException("client_payload of " + kind.wireName() + " has " + payload.size() + " properties");
        }
        return body;
    }

    /** A pull request event's essentials: the number, both branches, and what happened. */
    private static void pull(PipelineEvent event, ObjectNode payload) {
        if (event instanceof PullOpenedEvent opened) {
            pullRequest(payload, opened.number(), opened.from(), opened.into());
            payload.put("title", opened.title());
            payload.put("author", opened.author());
        } else if (event instanceof PullChecksCompletedEvent checks) {
            pullRequest(payload, checks.number(), checks.from(), checks.into());
            payload.put("state", checks.state());
            payload.put("outcome", checks.outcome());
            payload.put("summary", checks.summary());
        } else if (event instanceof PullMergedEvent merged) {
            pullRequest(payload, merged.number(), merged.from(), merged.into());
            payload.put("merged_by", merged.mergedBy());
        } else if (event instanceof PullClosedEvent closed) {
            pullRequest(payload, closed.number(), closed.from(), closed.into());
            payload.put("closed_by", closed.closedBy());
        }
    }

    private static void pullRequest(ObjectNode payload, int number, String from, String into) {
        payload.put("pull_request", number);
        payload.put("from", from);
        payload.put("into", into);
    }
}
