package io.dataline.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.PipelineStage;
import io.dataline.dataset.PipelineStageRepository;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.EventType;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.PipelineEvent;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.events.TrainingRunStartedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * The lineage view of each version: a projection of the pipeline topics (no calls to other services), one row per
 * event, so "what happened to my commit?" is one request. Idempotent by event id.
 */
@ApplicationScoped
public class LineageService {

    private final PipelineStageRepository stages;
    private final DatasetService datasets;
    private final VersionService versions;

    LineageService(PipelineStageRepository stages, DatasetService datasets, VersionService versions) {
        this.stages = stages;
        this.datasets = datasets;
        this.versions = versions;
    }

    /** One stage as the API shows it. */
    public record StageView(String stage, String status, Instant at, JsonNode detail, String link) {
    }

    /** Every stage a version reached, oldest first. */
    public record Lineage(String dataset, String dataVersion, List<StageView> stages) {
    }

    /** Records the stage an event announces; false when this event was already recorded. */
    @Transactional
    public boolean record(PipelineEvent event) {
        if (stages.seen(event.eventId())) {
            return false;
        }
        ObjectNode all = EventJson.mapper().valueToTree(event);
        PipelineStage row = new PipelineStage();
        row.eventId = event.eventId();
        row.topic = EventType.forClass(event.getClass()).orElseThrow().topic();
        row.datasetSlug = event.datasetSlug();
        row.dataVersion = event.dataVersion();
        row.at = event.occurredAt();
        String[] stageAndStatus = stageOf(event);
        row.stage = stageAndStatus[0];
        row.status = stageAndStatus[1];
        row.link = linkOf(event);
        for (String envelope : List.of("eventId", "occurredAt", "dataset", "datasetSlug", "dataVersion", "causationId", "producer")) {
            all.remove(envelope);
        }
        row.detail = write(all);
        stages.persist(row);
        return true;
    }

    public Lineage lineage(String nameOrSlug, String version) {
        Dataset dataset = datasets.resolve(nameOrSlug);
        String hash = versions.version(dataset, version).hash;
        return new Lineage(dataset.name, hash, stages.of(dataset.slug, hash).stream()
                .map(s -> new StageView(s.stage, s.status, s.at, read(s.detail), s.link)).toList());
    }

    private static String[] stageOf(PipelineEvent event) {
        if (event instanceof DatasetCommittedEvent) {
            return new String[] {"committed", "done"};
        } else if (event instanceof DatasetValidatedEvent) {
            return new String[] {"validation", "passed"};
        } else if (event instanceof DatasetValidationFailedEvent) {
            return new String[] {"validation", "failed"};
        } else if (event instanceof TrainingRunStartedEvent) {
            return new String[] {"training", "running"};
        } else if (event instanceof TrainingRunFailedEvent) {
            return new String[] {"training", "failed"};
        } else if (event instanceof ModelRegisteredEvent) {
            return new String[] {"registered", "done"};
        } else if (event instanceof ModelPromotedEvent promoted) {
            return new String[] {"promotion", promoted.rollback() ? "rolled back" : "promoted"};
        } else if (event instanceof ModelPromotionRejectedEvent) {
            return new String[] {"promotion", "rejected"};
        }
        throw new IllegalArgumentException("not a pipeline event: " + event.getClass());
    }

    private static String linkOf(PipelineEvent event) {
        if (event instanceof DatasetCommittedEvent committed) {
            return "/datasets/" + committed.datasetSlug() + "/versions/" + committed.dataVersion();
        } else if (event instanceof DatasetValidatedEvent validated) {
            return validated.reportUrl();
        } else if (event instanceof DatasetValidationFailedEvent failed) {
            return failed.reportUrl();
        } else if (event instanceof ModelRegisteredEvent registered) {
            return registered.artifactUri();
        }
        return null;
    }

    private static String write(JsonNode json) {
        try {
            return EventJson.mapper().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String json) {
        try {
            return EventJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            return JsonNodeFactory.instance.textNode(json);
        }
    }
}
