package io.dataline.deploy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.deploy.Candidate;
import io.dataline.deploy.ModelStage;
import io.dataline.deploy.promotion.GateEvaluator;
import io.dataline.deploy.promotion.PromotionPolicy;
import io.dataline.events.ModelMetrics;
import io.dataline.service.DatasetServiceClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Gate evaluation for a candidate: the policy pinned by its pipeline revision (read from dataset-service), and the
 * two sets of metrics to compare, both measured by Dataline on the candidate's held-out records: the baseline measured
 * with the candidate, or, if staging moved since (or the baseline could not be measured then), a fresh comparison by
 * training-orchestrator. When the staged model cannot be measured on those records, the gates that compare with it
 * fail: registered metrics of another version were measured on other records and are never compared.
 */
@ApplicationScoped
public class GateDecisions {

    private static final Logger LOG = Logger.getLogger(GateDecisions.class);

    @Inject
    DatasetServiceClient datasets;

    @Inject
    RegistryClient registry;

    @Inject
    ObjectMapper mapper;

    /** The two sets of metrics the gates compare; {@code unmeasured} says why staging has none though a model is staged. */
    record Metrics(ModelMetrics candidate, ModelMetrics staging, String unmeasured) {
    }

    /** The gates' verdict on a candidate against what is in staging now (an invalid policy promotes nothing). */
    GateEvaluator.Decision decide(Candidate candidate, ModelMetrics registered, Integer baselineVersion, ModelMetrics baselineMetrics,
            Optional<ModelStage> staging) {
        List<String[]> problems = new ArrayList<>();
        PromotionPolicy policy = PromotionPolicy.parse(datasets.pipelineRevision(candidate.datasetSlug, candidate.pipelineRevision)
                .path("pipeline").get("promotion"), problems);
        if (!problems.isEmpty()) {
            return new GateEvaluator.Decision(false, List.of(), "the promotion policy of pipeline revision " + candidate.pipelineRevision
                    + " is invalid: " + String.join("; ", problems.stream().map(p -> p[0] + " " + p[1]).toList()));
        }
        Metrics metrics = metricsFor(candidate, registered, baselineVersion, baselineMetrics, staging);
        return GateEvaluator.decide(policy, metrics.candidate(), metrics.staging(), metrics.unmeasured());
    }

    /** The same, for a candidate decided from what was stored when it was registered. */
    GateEvaluator.Decision decide(Candidate candidate, Optional<ModelStage> staging) {
        return decide(candidate, summary(candidate.metricsJson), candidate.baselineVersion,
                candidate.baselineMetricsJson == null ? null : summary(candidate.baselineMetricsJson), staging);
    }

    private Metrics metricsFor(Candidate candidate, ModelMetrics registered, Integer baselineVersion, ModelMetrics baselineMetrics,
            Optional<ModelStage> staging) {
        if (staging.isEmpty()) {
            return new Metrics(registered, null, null);
        }
        int staged = staging.get().version;
        if (baselineVersion != null && baselineVersion == staged && baselineMetrics != null) {
            return new Metrics(registered, baselineMetrics, null);
        }
        try {
            JsonNode compared = registry.compare(candidate.model, candidate.version, staged);
            LOG.infof("%s v%d: measured again with staged v%d on the same held-out records", candidate.model, candidate.version, staged);
            return new Metrics(summary(compared.path("metrics")), summary(compared.path("againstMetrics")), null);
        } catch (NotComparableException e) {
            LOG.infof("%s v%d cannot be measured with staged v%d on the same records (%s); gates that compare with it fail", candidate.model,
                    candidate.version, staged, e.getMessage());
            return new Metrics(registered, null, "staged v" + staged + " could not be measured on v" + candidate.version + "'s held-out records: "
                    + e.getMessage());
        }
    }

    private ModelMetrics summary(String json) {
        try {
            return summary(mapper.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ModelMetrics summary(JsonNode json) {
        return new ModelMetrics(json.path("accuracy").asDouble(), json.path("macroF1").asDouble(), json.path("logLoss").asDouble());
    }
}
