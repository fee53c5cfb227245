package io.dataline.training.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.dataline.models.Evaluation;
import io.dataline.models.Labels;
import io.dataline.models.Metrics;
import io.dataline.models.TrainingSpec;
import io.dataline.training.ModelVersion;
import io.dataline.training.ModelVersionRepository;
import io.dataline.training.StagedModelRepository;
import io.dataline.training.TrainingRun;
import io.dataline.training.config.TrainingConfig;
import io.dataline.training.trainer.RunLog;
import io.dataline.training.trainer.TrainerOutput;
import io.dataline.training.trainer.TrainingFailedException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Measures a trained candidate on the run's held-out records, and the model now in staging on the same records, so
 * the two sets of metrics compare like with like; keeps a sample of held-out predictions for the registry.
 */
@ApplicationScoped
public class HeldOutEvaluation {

    /** The candidate's metrics with a sample of its held-out predictions; the staged baseline's, when there is one. */
    record Result(Metrics metrics, ArrayNode sample, Integer baselineVersion, Metrics baselineMetrics) {
    }

    @Inject
    ModelVersionRepository models;

    @Inject
    StagedModelRepository staged;

    @Inject
    ModelEvaluator evaluator;

    @Inject
    TrainingConfig config;

    @Inject
    ObjectMapper mapper;

    Result evaluate(TrainingRun run, TrainingSpec spec, VersionData data, TrainerOutput output, RunLog log) throws TrainingFailedException {
        Metrics metrics;
        ArrayNode sample = mapper.createArrayNode();
        if (output.model().isPresent()) {
            Evaluation evaluation = Evaluation.of(output.model().get(), data.heldOut(config.runs().maxRecordsInMemory()), spec.labelField());
            metrics = evaluation.metrics();
            for (int i = 0; i < evaluation.records().size() && i < config.runs().sampleSize(); i++) {
                var entry = sample.addObject();
                entry.set("record", evaluation.records().get(i));
                entry.put("label", evaluation.truth().get(i));
                entry.put("predicted", evaluation.predictions().get(i).label());
                entry.set("scores", mapper.valueToTree(evaluation.predictions().get(i).scores()));
            }
        } else {
            metrics = output.reportedMetrics().orElseThrow(() -> new TrainingFailedException("the trainer reported no metrics"));
            data.forEachHeldOut(r -> {
                if (Labels.of(r, spec.labelField()) == null || sample.size() >= config.runs().sampleSize()) {
                    return;
                }
                var entry = sample.addObject();
                entry.set("record", r);
                entry.put("label", Labels.of(r, spec.labelField()));
                entry.putNull("predicted");
                entry.putNull("scores");
            });
        }
        log.line("held-out metrics: accuracy " + metrics.accuracy() + ", macroF1 " + metrics.macroF1() + ", logLoss " + metrics.logLoss());

        Optional<ModelVersion> baseline = QuarkusTransaction.requiringNew().call(() -> staged.findByIdOptional(run.model)
                .flatMap(s -> models.find(s.model, s.version)));
        if (baseline.isEmpty()) {
            return new Result(metrics, sample, null, null);
        }
        int baselineVersion = baseline.get().version;
        Optional<Evaluation> evaluated = evaluator.evaluate(baseline.get(), data.heldOut(config.runs().maxRecordsInMemory()), spec.labelField());
        Metrics baselineMetrics = evaluated.map(Evaluation::metrics).orElse(null);
        log.line(evaluated.isPresent() ? "staged baseline v" + baselineVersion + " on the same held-out records: accuracy " + baselineMetrics.accuracy()
                : "staged baseline v" + baselineVersion + " was trained by " + baseline.get().trainer + " and cannot be re-evaluated here");
        return new Result(metrics, sample, baselineVersion, baselineMetrics);
    }
}
