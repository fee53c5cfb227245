package io.dataline.deploy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dataline.deploy.Candidate;
import io.dataline.deploy.CandidateRepository;
import io.dataline.deploy.ModelStage;
import io.dataline.deploy.promotion.GateEvaluator;
import io.dataline.deploy.promotion.PromotionPolicy;
import io.dataline.events.ModelMetrics;
import io.dataline.service.DatasetServiceClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Gate evaluation for a candidate: the policy pinned by its pipeline revision (read from dataset-service), and the
 * two sets of metrics to compare: the baseline evaluated with the candidate, or, if staging moved since, a fresh
 * comparison on the same held-out records by training-orchestrator, or failing that the registered metrics.
 */
@ApplicationScoped
public class GateDecisions {

    private static final Logger LOG = Logger.getLogger(GateDecisions.class);

    @Inject
    DatasetServiceClient datasets;

    @Inject
    RegistryClient registry;

    @Inject
    CandidateRepository candidates;

    @Inject
    ObjectMapper mapper;

    /** The two sets of metrics the gates compare. */
    record Metrics(ModelMetrics candidate, ModelMetrics staging) {
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
        return GateEvaluator.decide(policy, metrics.candidate(), metrics.staging());
    }

    /** The same, for a candidate decided from what was stored when it was registered. */
    GateEvaluator.Decision decide(Candidate candidate, Optional<ModelStage> staging) {
        return decide(candidate, summary(candidate.metricsJson), candidate.baselineVersion,
                candidate.baselineMetricsJson == null ? null : summary(candidate.baselineMetricsJson), staging);
    }

    private Metrics metricsFor(Candidate candidate, ModelMetrics registered, Integer baselineVersion, ModelMetrics baselineMetrics,
            Optional<ModelStage> staging) {
        if (staging.isEmpty()) {
            return new Metrics(registered, null);
        }
        int staged = staging.get().version;
        if (baselineVersion != null && baselineVersion == staged && baselineMetrics != null) {
            return new Metrics(registered, baselineMetrics);
        }
        try {
            JsonNode compared = registry.compare(candidate.model, candidate.version, staged);
            LOG.infof("%s v%d: staging moved to v%d since evaluation; compared again on the same held-out records", candidate.model,
                    candidate.version, staged);
            return new Metrics(summary(compared.path("metrics")), summary(compared.path("againstMetrics")));
        } catch (NotComparableException e) {
            Candidate stagedRow = QuarkusTransaction.requiringNew().call(() -> candidates.find(candidate.model, staged)).orElse(null);
            LOG.infof("%s v%d cannot be compared with v%d again (%s); using their registered metrics", candidate.model, candidate.version, staged,
                    e.getMessage());
            return new Metrics(registered, stagedRow == null ? null : summary(stagedRow.metricsJson));
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
