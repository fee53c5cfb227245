package io.dataline.training.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dataline.models.Metrics;
import io.dataline.training.ModelVersion;
import io.dataline.training.ModelVersionRepository;
import io.dataline.training.StagedModelRepository;
import io.dataline.training.TrainingRun;
import io.dataline.training.trainer.Trainer;
import io.dataline.training.trainer.TrainerOutput;
import io.dataline.training.trainer.TrainingFailedException;
import io.dataline.training.trainer.TrainingJob;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Measures a trained candidate on the run's held-out records, and the model now in staging on the same records, so
 * the two sets of metrics compare like with like ({@link ModelMeasurement}: Dataline computes them, whatever trained
 * the models); keeps a sample of held-out predictions for the registry. A candidate that cannot be measured fails the
 * run; a staged model that cannot be measured any more is registered without baseline metrics, and deploy-service
 * then refuses every gate that compares with it.
 */
@ApplicationScoped
public class HeldOutEvaluation {

    /** The candidate's metrics with a sample of its held-out predictions; the staged baseline's, when measured. */
    record Result(Metrics metrics, ArrayNode sample, Integer baselineVersion, Metrics baselineMetrics) {
    }

    @Inject
    ModelVersionRepository models;

    @Inject
    StagedModelRepository staged;

    @Inject
    ModelMeasurement measurement;

    Result evaluate(TrainingRun run, TrainingJob job, Trainer trainer, TrainerOutput output, ModelMeasurement.Where where)
            throws TrainingFailedException, InterruptedException {
        ModelMeasurement.Measured candidate;
        try {
            candidate = measurement.candidate(trainer, job.spec(), output, job.data(), where);
        } catch (TrainingFailedException e) {
            throw new TrainingFailedException("measuring the trained model failed: " + e.getMessage(), e);
        }
        Metrics metrics = candidate.metrics();
        job.log().line("held-out metrics: accuracy " + metrics.accuracy() + ", macroF1 " + metrics.macroF1() + ", logLoss " + metrics.logLoss());

        Optional<ModelVersion> baseline = QuarkusTransaction.requiringNew().call(() -> staged.findByIdOptional(run.model)
                .flatMap(s -> models.find(s.model, s.version)));
        if (baseline.isEmpty()) {
            return new Result(metrics, candidate.sample(), null, null);
        }
        int baselineVersion = baseline.get().version;
        Metrics baselineMetrics;
        try {
            baselineMetrics = measurement.version(baseline.get(), job.data(), job.spec().labelField(), "baseline", where).metrics();
            job.log().line("staged baseline v" + baselineVersion + " on the same held-out records: accuracy " + baselineMetrics.accuracy());
        } catch (TrainingFailedException e) {
            baselineMetrics = null;
            job.log().line("staged baseline v" + baselineVersion + " could not be measured on these held-out records (" + e.getMessage()
                    + "); gates that compare with it will not pass");
        }
        return new Result(metrics, candidate.sample(), baselineVersion, baselineMetrics);
    }
}
