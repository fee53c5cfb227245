package io.dataline.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.events.EventJson;
import io.dataline.events.ModelMetrics;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.models.BuiltinModel;
import io.dataline.models.BuiltinTrainer;
import io.dataline.models.TrainingSpec;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.SampleEvents;
import io.dataline.testsupport.SampleRecords;
import io.dataline.testsupport.TopicClient;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test helper: a dataset with a promotion policy in the real dataset-service, real built-in models registered in
 * {@link RegistryStub}, the {@code model.registered} events training-orchestrator would publish, and reading what this
 * service publishes.
 */
final class Promotions {

    static final TrainingSpec SPEC = TrainingSpec.parse(EventJson.mapper().valueToTree(Map.of("labelField", "sentiment",
            "features", List.of(Map.of("field", "feedback", "type", "text")))));

    private Promotions() {
    }

    /** A model's dataset: name and slug (the model's name). */
    record Dataset(String name, String slug) {
    }

    /** A dataset with this promotion section whose version 1, with these metrics, is staged (its promotion awaited). */
    static Dataset staged(TopicClient topics, String prefix, Map<String, Object> promotion, ModelMetrics metrics) {
        Dataset dataset = dataset(prefix, promotion);
        topics.publish(Topics.MODEL_REGISTERED, register(dataset, 1, metrics, null, null));
        promoted(topics, dataset, 1);
        return dataset;
    }

    /** A dataset whose pipeline has this promotion section (null: none, the default policy). */
    static Dataset dataset(String prefix, Map<String, Object> promotion) {
        String name = DatasetServiceApi.uniqueName(prefix);
        Map<String, Object> pipeline = new LinkedHashMap<>();
        pipeline.put("training", Map.of("labelField", "sentiment", "features", List.of(Map.of("field", "feedback", "type", "text"))));
        if (promotion != null) {
            pipeline.put("promotion", promotion);
        }
        String slug = DatasetServiceApi.create(Map.of("name", name, "primaryKey", "id",
                "schema", Map.of("type", "object", "required", List.of("id"), "properties", Map.of("id", Map.of("type", "string"),
                        "feedback", Map.of("type", "string"), "sentiment", Map.of("type", "string"))), "pipeline", pipeline));
        return new Dataset(name, slug);
    }

    static List<JsonNode> records(int n, long seed) {
        return SampleRecords.feedback(n, seed).stream().map(r -> (JsonNode) EventJson.mapper().valueToTree(r)).toList();
    }

    static BuiltinModel train(long seed) {
        return BuiltinTrainer.train(SPEC, records(200, seed));
    }

    static ModelMetrics metrics(double accuracy, double macroF1, double logLoss) {
        return new ModelMetrics(accuracy, macroF1, logLoss);
    }

    /** Registers a freshly trained model as {@code version} in the stub and returns the event announcing it. */
    static ModelRegisteredEvent register(Dataset dataset, int version, ModelMetrics metrics, Integer baselineVersion, ModelMetrics baselineMetrics) {
        String[] artifact = RegistryStub.register(dataset.slug(), version, train(version), records(30, 1000 + version));
        return event(dataset, version, metrics, baselineVersion, baselineMetrics, artifact);
    }

    /**
     * The event announcing a registered version; {@code artifact} is (uri, sha256) or (uri, sha256, format): an event
     * without the format is one from before it was carried, which has the registry asked for it.
     */
    static ModelRegisteredEvent event(Dataset dataset, int version, ModelMetrics metrics, Integer baselineVersion, ModelMetrics baselineMetrics,
            String[] artifact) {
        return new ModelRegisteredEvent(UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MILLIS), dataset.name(), dataset.slug(),
                SampleEvents.sha256(dataset.slug() + " data " + version), UUID.randomUUID(), "training-orchestrator", UUID.randomUUID().toString(),
                dataset.slug(), version, metrics, baselineVersion, baselineMetrics, artifact[0], artifact[1], 1, null,
                artifact.length > 2 ? artifact[2] : null);
    }

    /** The same event as trained on a branch's pipeline. */
    static ModelRegisteredEvent onBranch(ModelRegisteredEvent e, String branch) {
        return new ModelRegisteredEvent(e.eventId(), e.occurredAt(), e.dataset(), e.datasetSlug(), e.dataVersion(), e.causationId(), e.producer(),
                e.runId(), e.model(), e.modelVersion(), e.metrics(), e.baselineVersion(), e.baselineMetrics(), e.artifactUri(), e.artifactSha256(),
                e.pipelineRevision(), branch, e.artifactFormat());
    }

    static ModelPromotedEvent promoted(TopicClient topics, Dataset dataset, int count) {
        return read(topics, Topics.MODEL_PROMOTED, dataset, count, ModelPromotedEvent.class).get(count - 1);
    }

    static ModelPromotionRejectedEvent rejected(TopicClient topics, Dataset dataset, int count) {
        return read(topics, Topics.MODEL_PROMOTION_REJECTED, dataset, count, ModelPromotionRejectedEvent.class).get(count - 1);
    }

    static <T extends PipelineEvent> List<T> read(TopicClient topics, String topic, Dataset dataset, int count, Class<T> type) {
        return topics.read(topic, count, r -> dataset.name().equals(r.key()), Duration.ofSeconds(60)).stream().map(r -> {
            try {
                return EventJson.mapper().readValue(r.value(), type);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
