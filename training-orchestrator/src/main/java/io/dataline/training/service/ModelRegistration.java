package io.dataline.training.service;

import io.dataline.events.ModelMetrics;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.models.Metrics;
import io.dataline.models.TrainingSpec;
import io.dataline.training.ModelVersion;
import io.dataline.training.ModelVersionRepository;
import io.dataline.training.RunState;
import io.dataline.training.TrainingRun;
import io.dataline.training.TrainingRunRepository;
import io.dataline.training.artifact.ArtifactStore;
import io.dataline.training.config.TrainingConfig;
import io.dataline.training.trainer.RunLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;

/**
 * Registers a run's model in one transaction: the next version of the model with its full lineage (dataset, data
 * version and hash, pipeline revision, code commit, trainer, spec, metrics, baseline, artifact), the run SUCCEEDED,
 * and {@code model.registered} in the outbox; only if the run is still RUNNING in the attempt that trained it.
 */
@ApplicationScoped
public class ModelRegistration {

    @Inject
    TrainingRunRepository runs;

    @Inject
    ModelVersionRepository models;

    @Inject
    RunEvents events;

    @Inject
    TrainingConfig config;

    /** What a finished attempt hands over for registration. */
    record Trained(TrainingSpec spec, VersionData data, int labelledHeldOut, HeldOutEvaluation.Result evaluation, ArtifactStore.Stored stored,
            String format) {
    }

    /** The registered version, or empty when the run was taken over while this attempt trained. */
    Optional<Integer> register(UUID runId, int attempt, Trained trained, RunLog log) {
        return QuarkusTransaction.requiringNew().call(() -> {
            TrainingRun run = runs.findById(runId);
            if (run == null || run.state != RunState.RUNNING || run.attempts != attempt) {
                return Optional.<Integer>empty();
            }
            models.lockModel(run.model);
            ModelVersion registered = version(run, trained);
            models.persist(registered);
            run.state = RunState.SUCCEEDED;
            run.modelVersion = registered.version;
            run.finishedAt = registered.createdAt;
            log.line("registered " + run.model + " v" + registered.version);
            run.logsTail = log.tail();
            HeldOutEvaluation.Result evaluation = trained.evaluation();
            events.write(new ModelRegisteredEvent(UUID.randomUUID(), registered.createdAt, run.dataset, run.datasetSlug, run.dataVersion,
                    run.causeEventId, RunEvents.PRODUCER, run.id.toString(), run.model, registered.version, summary(evaluation.metrics()),
                    evaluation.baselineVersion(), evaluation.baselineMetrics() == null ? null : summary(evaluation.baselineMetrics()),
                    registered.artifactUri, registered.artifactSha256, run.pipelineRevision, run.branch, registered.artifactFormat), run);
            return Optional.of(registered.version);
        });
    }

    private ModelVersion version(TrainingRun run, Trained trained) {
        HeldOutEvaluation.Result evaluation = trained.evaluation();
        ModelVersion registered = new ModelVersion();
        registered.model = run.model;
        registered.version = models.nextVersion(run.model);
        registered.dataset = run.dataset;
        registered.datasetSlug = run.datasetSlug;
        registered.dataVersion = run.dataVersion;
        registered.branch = run.branch;
        registered.dataHash = trained.data().dataHash();
        registered.pipelineRevision = run.pipelineRevision;
        registered.codeCommit = config.codeCommit();
        registered.trainer = trained.spec().trainer();
        registered.template = trained.spec().template();
        registered.specJson = trained.spec().toJson().toString();
        registered.metricsJson = evaluation.metrics().toJson().toString();
        registered.baselineVersion = evaluation.baselineVersion();
        registered.baselineMetricsJson = evaluation.baselineMetrics() == null ? null : evaluation.baselineMetrics().toJson().toString();
        registered.artifactUri = config.publicUrl() + "/models/" + run.model + "/versions/" + registered.version + "/artifact";
        registered.artifactSha256 = trained.stored().sha256();
        registered.artifactSize = trained.stored().size();
        registered.artifactFormat = trained.format();
        registered.artifactPath = trained.stored().path();
        registered.trainRecords = (int) Math.min(Integer.MAX_VALUE, trained.data().trainingCount());
        registered.heldOutRecords = trained.labelledHeldOut();
        registered.heldOutSampleJson = evaluation.sample().toString();
        registered.runId = run.id;
        registered.createdAt = RunEvents.now();
        return registered;
    }

    static ModelMetrics summary(Metrics metrics) {
        return new ModelMetrics(metrics.accuracy(), metrics.macroF1(), metrics.logLoss());
    }
}
