package io.dataline.dataset.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetRepository;
import io.dataline.dataset.DatasetVersion;
import io.dataline.dataset.DatasetVersionRepository;
import io.dataline.dataset.PullRequest;
import io.dataline.dataset.PullRequestRepository;
import io.dataline.dataset.service.LineageService.StageView;
import io.dataline.events.PipelineEvent;
import io.dataline.service.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The checks of a pull request: the pipeline run of the head of its {@code from} branch, as the lineage projection saw
 * it (validation verdict and drift, the training run, the candidate model and its metrics against the staged model,
 * the promotion gates' verdict). {@code success} once the pipeline ended well (validated without training, or a
 * candidate that passed the gates), {@code failure} when validation, training or the gates said no, {@code pending}
 * until then. When the pipeline of an open pull request's head ends, {@code pull.checks-completed} announces it once.
 */
@ApplicationScoped
public class PullChecks {

    @Inject
    PullEvents events;

    @Inject
    PullRequestRepository pulls;

    @Inject
    LineageService lineage;

    @Inject
    DatasetRepository datasets;

    @Inject
    Branches branches;

    @Inject
    DatasetService datasetService;

    @Inject
    DatasetVersionRepository versions;

    /**
     * The checks of one head: {@code state} ({@code pending}, {@code success}, {@code failure}), the pipeline's
     * {@code outcome}, a one-line {@code summary}, and the stages that matter ({@code null} until reached).
     */
    public record ChecksView(int number, String from, String into, String head, String state, String outcome, String summary,
            StageView validation, StageView training, StageView model, StageView evaluation, List<StageView> stages) {
    }

    /** The checks of a pull request's head: the current head of {@code from} while open, the head it merged once merged. */
    @Transactional
    public ChecksView checks(String nameOrSlug, int number) {
        Dataset dataset = datasetService.resolve(nameOrSlug);
        PullRequest pull = pulls.require(dataset, number);
        String head = checkedHead(dataset, pull);
        if (head == null) {
            throw ProblemException.notFound("pull request #" + number + " has no head to check: \"" + pull.fromBranch + "\" has no version");
        }
        return view(dataset, pull, head);
    }

    /** Why the checks keep a pull request from being merged into a branch that requires them (empty: they do not). */
    List<String> blockers(Dataset dataset, PullRequest pull, String fromHead, boolean required) {
        if (!required) {
            return List.of();
        }
        ChecksView checks = view(dataset, pull, fromHead);
        return checks.state().equals("success") ? List.of()
                : List.of("\"" + pull.intoBranch + "\" requires successful checks; the checks of " + fromHead + " are " + checks.state() + ": "
                        + checks.summary());
    }

    /**
     * After a pipeline stage was recorded: if it ended the pipeline of the head of an open pull request's branch, writes
     * that pull request's {@code pull.checks-completed} (once per head). In the caller's transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void recorded(PipelineEvent event) {
        Optional<Dataset> dataset = datasets.findByNameOrSlug(event.datasetSlug());
        if (dataset.isEmpty()) {
            return;
        }
        for (PullRequest pull : pulls.openFrom(dataset.get().id, event.branchOrMain())) {
            report(dataset.get(), pull, event.dataVersion(), event.eventId());
        }
    }

    /** Announces the checks of {@code version} if it is the pull request's head, they are complete and not yet announced. */
    @Transactional(Transactional.TxType.MANDATORY)
    void report(Dataset dataset, PullRequest pull, String version, UUID causation) {
        String head = head(dataset, pull.fromBranch);
        if (head == null || !head.equals(version) || head.equals(pull.checksReported)) {
            return;
        }
        ChecksView checks = view(dataset, pull, head);
        if (!checks.state().equals("pending") && pulls.claimChecksReport(pull, head)) {
            events.checksCompleted(dataset, pull, checks, causation);
        }
    }

    private String checkedHead(Dataset dataset, PullRequest pull) {
        if (pull.mergeVersion != null) {
            return versions.find(dataset, pull.mergeVersion).map(v -> v.mergeParent != null ? v.mergeParent : v.hash).orElse(null);
        }
        return head(dataset, pull.fromBranch);
    }

    private String head(Dataset dataset, String branch) {
        try {
            return branches.head(dataset, branch);
        } catch (ProblemException gone) {
            return null; // the branch was deleted
        }
    }

    private ChecksView view(Dataset dataset, PullRequest pull, String head) {
        DatasetVersion version = versions.find(dataset, head).orElseThrow();
        LineageService.Lineage run = lineage.run(dataset, version, pull.fromBranch);
        StageView validation = last(run.stages(), "validation");
        StageView training = last(run.stages(), "training");
        StageView model = last(run.stages(), "registered");
        StageView evaluation = Optional.ofNullable(last(run.stages(), "candidate")).orElse(last(run.stages(), "promotion"));
        String outcome = run.outcome();
        String state = outcome == null ? "pending" : List.of("validated", "passed", "promoted").contains(outcome) ? "success" : "failure";
        return new ChecksView(pull.number, pull.fromBranch, pull.intoBranch, head, state, outcome,
                summary(outcome, run.stages(), validation, training, model, evaluation), validation, training, model, evaluation, run.stages());
    }

    private static StageView last(List<StageView> stages, String name) {
        StageView found = null;
        for (StageView stage : stages) {
            if (stage.stage().equals(name)) {
                found = stage;
            }
        }
        return found;
    }

    /** The checks in one sentence. */
    static String summary(String outcome, List<StageView> stages, StageView validation, StageView training, StageView model, StageView evaluation) {
        String checked = validation == null ? "" : "validation passed (" + validation.detail().path("checksRun").asInt() + " checks)";
        if (outcome == null) {
            return stages.isEmpty() ? "waiting for the pipeline to start"
                    : "running: " + stages.get(stages.size() - 1).stage() + " " + stages.get(stages.size() - 1).status();
        }
        switch (outcome) {
            case "validated":
                return checked + "; the pipeline has no training";
            case "passed":
            case "promoted":
            case "rejected": {
                JsonNode detail = evaluation.detail();
                String candidate = "candidate " + detail.path("model").asText() + " v" + detail.path("modelVersion").asInt();
                String against = model == null || model.detail().path("baselineVersion").isNull() ? "with nothing in staging"
                        : "against staged v" + model.detail().path("baselineVersion").asInt() + metrics(model.detail());
                return outcome.equals("rejected")
                        ? candidate + " failed the promotion gates " + against + ": " + detail.path("reason").asText("rejected")
                        : checked + "; " + candidate + (outcome.equals("promoted") ? " was promoted " : " passed the promotion gates ") + against;
            }
            default: {
                if (validation != null && validation.status().equals("failed")) {
                    List<String> failed = new ArrayList<>();
                    validation.detail().path("failedChecks").forEach(c -> failed.add(c.path("check").asText()
                            + (c.path("field").isTextual() ? " on " + c.path("field").asText() : "")));
                    return "validation failed: " + String.join(", ", failed);
                }
                return "training failed: " + (training == null ? "unknown reason" : training.detail().path("reason").asText("unknown reason"));
            }
        }
    }

    private static String metrics(JsonNode registered) {
        JsonNode mine = registered.path("metrics");
        JsonNode theirs = registered.path("baselineMetrics");
        return mine.has("accuracy") && theirs.has("accuracy")
                ? String.format(java.util.Locale.ROOT, " (accuracy %.3f vs %.3f)", mine.path("accuracy").asDouble(), theirs.path("accuracy").asDouble())
                : "";
    }
}
