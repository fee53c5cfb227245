package io.dataline.training.service;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dataline.models.BuiltinModel;
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
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Measures a trained candidate on the run's held-out records, and the model now in staging on the same records, so
 * the two sets of metrics compare like with like ({@link ModelMeasurement}: Dataline computes them, whatever trained
 * the models); keeps a sample of held-out predictions for the registry. A candidate that cannot be measured fails the
 * run; a staged model that cannot be measured any more is registered without baseline metrics, and deploy-service
 * then refuses every gate that compares with it. A staged built-in model is measured while the trainer works
 * ({@link #beside}), so the registered hop does not wait for it after the candidate.
 */
@ApplicationScoped
public class HeldOutEvaluation {

    /**
     * Up to this many held-out records, a staged built-in baseline is measured beside the trainer ({@link #beside}): its
     * held-out records (parsed again for it) and predictions then share the heap with the training records for the
     * moment, which is a few megabytes at this size; a larger version measures it after the candidate, one set in memory
     * at a time as before.
     */
    static final long BESIDE_TRAINING_MAX_HELD_OUT = 10_000;

    /** The candidate's metrics with a sample of its held-out predictions; the staged baseline's, when measured. */
    record Result(Metrics metrics, ArrayNode sample, Integer baselineVersion, Metrics baselineMetrics) {
    }

    /** What the measurement beside the trainer found: no staged model, or the staged version and its metrics (or why not). */
    private record Early(Optional<ModelVersion> staged, Metrics metrics, String failure, boolean measured) {
    }

    /**
     * The staged baseline's measurement begun while the trainer works ({@link #beside}); {@link #settle} before the
     * run's files go. Without a future it is measured after the candidate, as {@link #evaluate} always did.
     */
    public static final class Beside {
        private static final Beside NONE = new Beside(null);
        private final CompletableFuture<Early> early;

        private Beside(CompletableFuture<Early> early) {
            this.early = early;
        }

        /** Waits for the measurement to end whatever its outcome (it reads the run's held-out file), unless interrupted. */
        public void settle() {
            if (early == null) {
                return;
            }
            try {
                early.get();
            } catch (ExecutionException e) {
                // its outcome was read by evaluate, or the run ends without it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Inject
    ModelVersionRepository models;

    @Inject
    StagedModelRepository staged;

    @Inject
    ModelMeasurement measurement;

    private final ExecutorService baselines = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "baseline-measurement");
        t.setDaemon(true);
        return t;
    });

    @PreDestroy
    void stop() {
        baselines.shutdownNow();
    }

    /**
     * Begins measuring the model now in staging on the run's held-out records on a thread of its own, so that it does
     * not wait for the trainer: it needs only the version's split, not the candidate. Only a built-in staged model is
     * measured here (in this JVM, no back-end's resources), and only on at most {@link #BESIDE_TRAINING_MAX_HELD_OUT}
     * held-out records; anything else is measured after the candidate by {@link #evaluate}. The staged model is the
     * one in staging as the run starts training rather than as it ends: should a promotion land in between, the
     * registered event names the older version as its baseline, and deploy-service measures the candidate against
     * the new one itself (as it does whenever staging moved before it decides).
     */
    Beside beside(TrainingRun run, VersionData data, String labelField, ModelMeasurement.Where where) {
        if (data.heldOutCount() > BESIDE_TRAINING_MAX_HELD_OUT) {
            return Beside.NONE;
        }
        return new Beside(CompletableFuture.supplyAsync(() -> early(run, data, labelField, where), baselines));
    }

    private Early early(TrainingRun run, VersionData data, String labelField, ModelMeasurement.Where where) {
        Optional<ModelVersion> baseline = stagedVersion(run);
        if (baseline.isEmpty() || !BuiltinModel.FORMAT.equals(baseline.get().artifactFormat)) {
            return new Early(baseline, null, null, false); // nothing staged, or not a built-in model: after the candidate
        }
        try { // a built-in model is measured in this JVM: no back-end job runs beside the trainer
            return new Early(baseline, measurement.version(baseline.get(), data, labelField, "baseline", where).metrics(), null, true);
        } catch (TrainingFailedException e) {
            return new Early(baseline, null, e.getMessage(), true);
        } catch (InterruptedException e) { // only a back-end's predict step waits; a built-in model never does
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the staged baseline", e);
        }
    }

    private Optional<ModelVersion> stagedVersion(TrainingRun run) {
        return QuarkusTransaction.requiringNew().call(() -> staged.findByIdOptional(run.model).flatMap(s -> models.find(s.model, s.version)));
    }

    Result evaluate(TrainingRun run, TrainingJob job, Trainer trainer, TrainerOutput output, ModelMeasurement.Where where, Beside beside)
            throws TrainingFailedException, InterruptedException {
        ModelMeasurement.Measured candidate;
        try {
            candidate = measurement.candidate(trainer, job.spec(), output, job.data(), where);
        } catch (TrainingFailedException e) {
            throw new TrainingFailedException("measuring the trained model failed: " + e.getMessage(), e);
        }
        Metrics metrics = candidate.metrics();
        job.log().line("held-out metrics: accuracy " + metrics.accuracy() + ", macroF1 " + metrics.macroF1() + ", logLoss " + metrics.logLoss());

        Early early = beside.early == null ? null : await(beside.early);
        boolean measuredBeside = early != null && early.measured();
        // measured beside the trainer: the version it measured; else the one in staging now, as the trainer may have
        // taken long (a process or Kubernetes back-end) and a promotion may have landed meanwhile
        Optional<ModelVersion> baseline = measuredBeside ? early.staged() : stagedVersion(run);
        if (baseline.isEmpty()) {
            return new Result(metrics, candidate.sample(), null, null);
        }
        int baselineVersion = baseline.get().version;
        Metrics baselineMetrics;
        String failure;
        if (measuredBeside) {
            baselineMetrics = early.metrics();
            failure = early.failure();
        } else {
            try {
                baselineMetrics = measurement.version(baseline.get(), job.data(), job.spec().labelField(), "baseline", where).metrics();
                failure = null;
            } catch (TrainingFailedException e) {
                baselineMetrics = null;
                failure = e.getMessage();
            }
        }
        String when = measuredBeside ? " (measured beside the trainer)" : "";
        if (baselineMetrics != null) {
            job.log().line("staged baseline v" + baselineVersion + when + " on the same held-out records: accuracy " + baselineMetrics.accuracy());
        } else {
            job.log().line("staged baseline v" + baselineVersion + when + " could not be measured on these held-out records (" + failure
                    + "); gates that compare with it will not pass");
        }
        return new Result(metrics, candidate.sample(), baselineVersion, baselineMetrics);
    }

    /** The measurement begun beside the trainer; its transient failure (the database away) fails this try of the run. */
    private static Early await(CompletableFuture<Early> early) throws InterruptedException {
        try {
            return early.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("measuring the staged baseline failed: " + e.getCause(), e.getCause());
        }
    }
}
