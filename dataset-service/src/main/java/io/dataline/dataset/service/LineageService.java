package io.dataline.dataset.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetVersion;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.PipelineStage;
import io.dataline.dataset.PipelineStageRepository;
import io.dataline.dataset.PullRequest;
import io.dataline.dataset.PullRequestRepository;
import io.dataline.dataset.config.DatasetServiceConfig;
import io.dataline.dataset.webhooks.WebhookEvent;
import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.EventType;
import io.dataline.events.ModelCandidateEvaluatedEvent;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.PipelineEvent;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.events.TrainingRunStartedEvent;
import io.dataline.service.messaging.EventHandler;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lineage view of each version: a projection of the pipeline topics (no calls to other services), one row per
 * event, so "what happened to my commit?" is one request. Idempotent by event id. Fed by service-support's
 * {@code PipelineConsumer} with every event of the nine pipeline topics (one consumer, so the group does not rebalance
 * as members join one by one), each record's failures on {@code <topic>.dataset-service.dlq}; redeliveries are no-ops.
 */
@ApplicationScoped
public class LineageService implements EventHandler<PipelineEvent> {

    private final PipelineStageRepository stages;
    private final DatasetServiceConfig.Links links;
    private final DatasetService datasets;
    private final VersionService versions;
    private final WebhookService webhooks;
    private final PullRequestRepository pulls;
    private final PullChecks checks;
    private final DatasetVersionRepository versionRepository;

    LineageService(PipelineStageRepository stages, DatasetService datasets, VersionService versions, WebhookService webhooks,
            DatasetServiceConfig config, PullRequestRepository pulls, PullChecks checks, DatasetVersionRepository versionRepository) {
        this.versionRepository = versionRepository;
        this.webhooks = webhooks;
        this.pulls = pulls;
        this.checks = checks;
        this.links = config.links();
        this.stages = stages;
        this.datasets = datasets;
        this.versions = versions;
    }

    /** One stage as the API shows it. */
    public record StageView(String stage, String status, Instant at, JsonNode detail, String link) {
    }

    /**
     * Every stage a version reached, oldest first, and whether its pipeline is over: {@code outcome} is
     * {@code failed} (validation or training failed), {@code promoted} or {@code rejected} (the promotion decision),
     * {@code passed} (a branch's candidate model passed the gates, and staging stayed where it was), {@code validated}
     * (passed validation and its pinned pipeline revision has no training), or null while running. {@code branch} is
     * the branch whose pipeline the stages are (a version fast-forwarded into main ran on its branch and then on main).
     */
    public record Lineage(String dataset, String dataVersion, boolean complete, String outcome, List<StageView> stages, String branch,
            Integer pullRequest) {
    }

    /**
     * Records the stage an event announces and, in the same transaction, queues its webhook deliveries and, when it
     * ends the pipeline of the head of an open pull request's branch, that pull request's checks; false when this event
     * was already recorded. The insert itself ignores a repeated event id, so two deliveries racing (e.g.
     * across a rebalance) cannot fail each other. The same statement tells whether the dataset has a webhook for the
     * event and an open pull request from its branch, so an event with neither (most of them) costs one round trip to
     * PostgreSQL, not four (the stage, the dataset, its webhooks, its pull requests).
     */
    @Override
    @Transactional
    public void handle(PipelineEvent event) {
        ObjectNode detail = EventJson.mapper().valueToTree(event);
        for (String envelope : List.of("eventId", "occurredAt", "dataset", "datasetSlug", "dataVersion", "causationId", "producer")) {
            detail.remove(envelope);
        }
        String[] stageAndStatus = stageOf(event);
        Object[] recorded = (Object[]) stages.getEntityManager().createNativeQuery("""
                WITH stage AS (
                    INSERT INTO pipeline_stage (event_id, topic, dataset_slug, data_version, stage, status, at, detail, link, branch)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (event_id) DO NOTHING RETURNING 1)
                SELECT (SELECT count(*) FROM stage),
                       EXISTS (SELECT 1 FROM webhook w JOIN dataset d ON d.id = w.dataset_id
                               WHERE d.slug = ?3 AND CAST(?11 AS text) = ANY (w.events)),
                       EXISTS (SELECT 1 FROM pull_request p JOIN dataset d ON d.id = p.dataset_id
                               WHERE d.slug = ?3 AND p.from_branch = ?10 AND p.state = 'open')""")
                .setParameter(1, event.eventId())
                .setParameter(2, EventType.forClass(event.getClass()).orElseThrow().topic())
                .setParameter(3, event.datasetSlug())
                .setParameter(4, event.dataVersion())
                .setParameter(5, stageAndStatus[0])
                .setParameter(6, stageAndStatus[1])
                .setParameter(7, event.occurredAt())
                .setParameter(8, write(detail))
                .setParameter(9, linkOf(event))
                .setParameter(10, event.branchOrMain())
                .setParameter(11, WebhookEvent.of(event).map(WebhookEvent::wireName).orElse(null))
                .getSingleResult();
        if (((Number) recorded[0]).intValue() == 1) {
            if (Boolean.TRUE.equals(recorded[1])) {
                webhooks.enqueue(event);
            }
            if (Boolean.TRUE.equals(recorded[2])) {
                checks.recorded(event);
            }
        }
    }

    /**
     * The stages of a version, and the pull request it belongs to: the one that merged it, else an open one from its
     * branch. The stages are main's pipeline when the version ran on main or is main's head (a fast-forward merge just
     * moved main to it: main's run is what comes next, not the branch's run that already ended), else its own branch's.
     */
    public Lineage lineage(String nameOrSlug, String version) {
        Dataset dataset = datasets.resolve(nameOrSlug);
        return lineages(List.of(dataset), List.of(versions.version(dataset, version))).get(0);
    }

    /** A version's pipeline on the board of recent pipelines: which dataset (its slug too) and when it was committed. */
    public record Recent(String dataset, String datasetSlug, String dataVersion, Instant committedAt, boolean complete, String outcome,
            List<StageView> stages, String branch, Integer pullRequest) {
    }

    /** Most rows {@link #recent} answers, and most versions it takes of one dataset. */
    public static final int MAX_RECENT = 100;

    /**
     * The pipelines of the newest commits across the datasets the caller may use (or of one dataset), newest first:
     * of each dataset its {@code perDataset} latest commits on any branch, of those the {@code limit} newest. What a
     * board of many datasets reads in one request, in a handful of statements whatever the number of datasets (one
     * for the versions per 1,000 datasets, one for all their stages, one for their pull requests).
     */
    public List<Recent> recent(String only, int limit, int perDataset) {
        if (limit < 1 || limit > MAX_RECENT || perDataset < 1 || perDataset > MAX_RECENT) {
            throw ProblemException.invalid("limit and perDataset must be between 1 and " + MAX_RECENT, "/query",
                    "1 <= limit <= " + MAX_RECENT + " and 1 <= perDataset <= " + MAX_RECENT);
        }
        List<Dataset> visible = only == null ? datasets.visible() : List.of(datasets.resolve(only));
        Map<Long, Dataset> byId = new HashMap<>();
        visible.forEach(d -> byId.put(d.id, d));
        List<DatasetVersion> newest = versionRepository.newest(byId.keySet(), perDataset, limit);
        List<Dataset> owners = newest.stream().map(v -> byId.get(v.datasetId)).toList();
        List<Lineage> lineages = lineages(owners, newest);
        List<Recent> recent = new ArrayList<>();
        for (int i = 0; i < newest.size(); i++) {
            Lineage run = lineages.get(i);
            recent.add(new Recent(run.dataset(), owners.get(i).slug, run.dataVersion(), newest.get(i).committedAt, run.complete(), run.outcome(),
                    run.stages(), run.branch(), run.pullRequest()));
        }
        return recent;
    }

    /**
     * The lineage of each version ({@code owners.get(i)} holds {@code found.get(i)}), read together: all their stages
     * in one statement, their pull requests in another.
     */
    private List<Lineage> lineages(List<Dataset> owners, List<DatasetVersion> found) {
        Set<String> slugs = new HashSet<>();
        Set<Long> ids = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < found.size(); i++) {
            slugs.add(owners.get(i).slug);
            ids.add(owners.get(i).id);
            hashes.add(found.get(i).hash);
        }
        Map<String, List<PipelineStage>> stagesOf = new HashMap<>();
        for (PipelineStage stage : stages.ofVersions(slugs, hashes)) {
            stagesOf.computeIfAbsent(stage.datasetSlug + "/" + stage.dataVersion, k -> new ArrayList<>()).add(stage);
        }
        List<PullRequest> pullCandidates = pulls.candidates(ids, hashes);
        Map<String, Boolean> trains = new HashMap<>();
        List<Lineage> lineages = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            Dataset dataset = owners.get(i);
            DatasetVersion version = found.get(i);
            List<PipelineStage> all = stagesOf.getOrDefault(dataset.slug + "/" + version.hash, List.of());
            boolean ranOnMain = version.hash.equals(dataset.head) || all.stream().anyMatch(s -> PipelineEvent.MAIN.equals(s.branch));
            String branch = ranOnMain ? PipelineEvent.MAIN : version.branch;
            Lineage run = run(dataset, version, branch, all.stream().filter(s -> branch.equals(s.branch)).toList(),
                    revision -> trains.computeIfAbsent(dataset.id + "/" + revision, k -> trains(dataset, revision)));
            Integer pull = PullRequestRepository.belongsTo(pullCandidates, version).map(p -> p.number).orElse(null);
            lineages.add(new Lineage(run.dataset(), run.dataVersion(), run.complete(), run.outcome(), run.stages(), run.branch(), pull));
        }
        return lineages;
    }

    /** The stages of one branch's pipeline for a version and how it ended (no pull request looked up). */
    Lineage run(Dataset dataset, DatasetVersion version, String branch) {
        return run(dataset, version, branch, stages.of(dataset.slug, version.hash, branch), revision -> trains(dataset, revision));
    }

    private static Lineage run(Dataset dataset, DatasetVersion version, String branch, List<PipelineStage> ofBranch,
            java.util.function.IntPredicate trains) {
        List<StageView> reached = settled(ofBranch.stream().map(s -> new StageView(s.stage, s.status, s.at, read(s.detail), s.link)).toList());
        String outcome = outcome(reached, () -> trains.test(version.pipelineRevision));
        return new Lineage(dataset.name, version.hash, outcome != null, outcome, reached, branch, null);
    }

    /**
     * Each stage with its final status, and one training stage per run: a run that started shows {@code succeeded}
     * once its model was registered and {@code failed} once the run failed (matched by run id), not {@code running}
     * for ever. A run started again after its orchestrator restarted, and the run's own failure, fold into that one
     * stage (in its place, with the latest event's time and detail), so a failed run is one terminal stage.
     */
    static List<StageView> settled(List<StageView> reached) {
        java.util.Map<String, String> endOfRun = new java.util.HashMap<>();
        java.util.Map<String, StageView> latestOfRun = new java.util.HashMap<>();
        for (StageView stage : reached) {
            String runId = stage.detail().path("runId").asText(null);
            if (runId != null && stage.stage().equals("registered")) {
                endOfRun.put(runId, "succeeded");
            } else if (runId != null && stage.stage().equals("training")) {
                latestOfRun.put(runId, stage);
                if (stage.status().equals("failed")) {
                    endOfRun.put(runId, "failed");
                }
            }
        }
        java.util.Set<String> shown = new java.util.HashSet<>();
        List<StageView> settled = new java.util.ArrayList<>();
        for (StageView stage : reached) {
            String runId = stage.detail().path("runId").asText(null);
            if (runId == null || !stage.stage().equals("training")) {
                settled.add(stage);
            } else if (shown.add(runId)) {
                StageView latest = latestOfRun.get(runId);
                settled.add(new StageView("training", endOfRun.getOrDefault(runId, latest.status()), latest.at(), latest.detail(), latest.link()));
            }
        }
        return settled;
    }

    /**
     * How a version's pipeline ended, from the stages it reached (oldest first); null while it has not. A decision on a
     * model (promoted, rejected, a candidate's verdict) ends it only once that model version's registration is recorded
     * too: the two come from different topics, so the decision can arrive first, and a pipeline shown as over (or a
     * pull request's checks announced from it) must not lack the model they are about.
     */
    static String outcome(List<StageView> reached, java.util.function.BooleanSupplier trains) {
        boolean validated = false;
        for (StageView stage : reached) {
            if (stage.status().equals("failed")) {
                return "failed";
            }
            if (stage.stage().equals("promotion") && (stage.status().equals("promoted") || stage.status().equals("rejected"))
                    || stage.stage().equals("candidate")) {
                return registered(reached, stage.detail()) ? stage.status() : null; // candidate: passed | rejected
            }
            validated |= stage.stage().equals("validation") && stage.status().equals("passed");
        }
        return validated && !trains.getAsBoolean() ? "validated" : null;
    }

    /** Whether the stages hold the registration of the model version a decision is about. */
    private static boolean registered(List<StageView> reached, JsonNode decision) {
        return reached.stream().anyMatch(s -> s.stage().equals("registered")
                && s.detail().path("model").asText().equals(decision.path("model").asText())
                && s.detail().path("modelVersion").asInt() == decision.path("modelVersion").asInt());
    }

    /** Whether the pinned pipeline revision has a training section (without one, the pipeline ends at validation). */
    private boolean trains(Dataset dataset, int revision) {
        if (revision <= 0) {
            return false;
        }
        try {
            JsonNode training = datasets.pipeline(dataset, revision).pipeline().get("training");
            return training != null && !training.isNull();
        } catch (ProblemException noSuchRevision) {
            return false;
        }
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
        } else if (event instanceof ModelCandidateEvaluatedEvent evaluated) {
            return new String[] {"candidate", evaluated.passed() ? "passed" : "rejected"};
        }
        throw new IllegalArgumentException("not a pipeline event: " + event.getClass());
    }

    private String linkOf(PipelineEvent event) {
        if (event instanceof DatasetCommittedEvent committed) {
            return "/datasets/" + committed.datasetSlug() + "/versions/" + committed.dataVersion();
        } else if (event instanceof DatasetValidatedEvent validated) {
            return validated.reportUrl();
        } else if (event instanceof DatasetValidationFailedEvent failed) {
            return failed.reportUrl();
        } else if (event instanceof TrainingRunStartedEvent started) {
            return links.trainingOrchestrator() + "/runs/" + started.runId();
        } else if (event instanceof TrainingRunFailedEvent failed) {
            return links.trainingOrchestrator() + "/runs/" + failed.runId();
        } else if (event instanceof ModelRegisteredEvent registered) {
            return links.trainingOrchestrator() + "/models/" + registered.model() + "/versions/" + registered.modelVersion();
        } else if (event instanceof ModelPromotedEvent promoted) {
            return links.deployService() + "/models/" + promoted.model() + "/promotions";
        } else if (event instanceof ModelPromotionRejectedEvent rejected) {
            return links.deployService() + "/models/" + rejected.model() + "/promotions";
        } else if (event instanceof ModelCandidateEvaluatedEvent evaluated) {
            return links.trainingOrchestrator() + "/models/" + evaluated.model() + "/versions/" + evaluated.modelVersion();
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
