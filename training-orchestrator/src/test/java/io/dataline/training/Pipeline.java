package io.dataline.training;

import static io.restassured.RestAssured.given;

import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.PipelineEvent;
import io.dataline.events.Topics;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.SampleRecords;
import io.dataline.testsupport.TopicClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test helper: creates datasets in the real dataset-service, commits records, announces versions as validation-service
 * would ({@code dataset.validated}), and reads what this service publishes.
 */
final class Pipeline {

    static final Map<String, Object> TEXT_SPEC = Map.of("labelField", "sentiment",
            "features", List.of(Map.of("field", "feedback", "type", "text"), Map.of("field", "category", "type", "categorical")),
            "trainer", "builtin", "holdoutFraction", 0.25, "seed", 42);

    private Pipeline() {
    }

    /** A feedback dataset (id, feedback, sentiment, category) whose pipeline has this training section (or none). */
    static String createFeedback(String name, Map<String, Object> training) {
        return DatasetServiceApi.createFeedback(name, training == null ? Map.of("validation", Map.of()) : Map.of("training", training));
    }

    /** Feedback whose sentiment follows from its words, 5 % of labels flipped. */
    static List<Map<String, Object>> feedback(int n, long seed) {
        return SampleRecords.feedback(n, seed);
    }

    static String commit(String dataset, List<Map<String, Object>> records) {
        return DatasetServiceApi.commit(dataset, records, null);
    }

    static int pipelineRevision(String slug, String version) {
        return DatasetServiceApi.request().get("/datasets/{d}/versions/{v}", slug, version).then().statusCode(200).extract().path("pipelineRevision");
    }

    /**
     * The event validation-service publishes for a version that passed: it repeats the version's data hash, record count
     * and tree format, so the run reads the records without asking for the version's view.
     */
    /**
     * A run, not saved, of the built-in trainer on {@link #TEXT_SPEC} for a version that exists in dataset-service,
     * its model named by the dataset's slug; written straight to the table as another orchestrator would have left it.
     */
    static TrainingRun textRun(String name, String slug, String version, String trigger, RunState state, Instant createdAt) {
        TrainingRun run = new TrainingRun();
        run.id = UUID.randomUUID();
        run.dataset = name;
        run.datasetSlug = slug;
        run.dataVersion = version;
        run.pipelineRevision = pipelineRevision(slug, version);
        run.model = slug;
        run.trigger = trigger;
        run.causeEventId = UUID.randomUUID();
        run.trainer = "builtin";
        run.specJson = io.dataline.models.TrainingSpec.parse(EventJson.mapper().valueToTree(TEXT_SPEC)).toJson().toString();
        run.state = state;
        run.createdAt = createdAt;
        return run;
    }

    static DatasetValidatedEvent validated(String name, String slug, String version) {
        io.restassured.path.json.JsonPath view = DatasetServiceApi.request().get("/datasets/{d}/versions/{v}", slug, version).then().statusCode(200)
                .extract().jsonPath();
        return new DatasetValidatedEvent(UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MILLIS), name, slug, version, UUID.randomUUID(),
                "validation-service", view.getInt("pipelineRevision"), "http://127.0.0.1:8081/reports/" + slug + "/" + version, 1, List.of(), null,
                view.getString("dataHash"), view.getLong("recordCount"), view.getInt("treeFormat"));
    }

    /** The event as validation-service published it before it repeated those: the run reads the version's view. */
    static DatasetValidatedEvent validatedAsBefore(String name, String slug, String version) {
        return new DatasetValidatedEvent(UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MILLIS), name, slug, version, UUID.randomUUID(),
                "validation-service", pipelineRevision(slug, version), "http://127.0.0.1:8081/reports/" + slug + "/" + version, 1, List.of());
    }

    static ModelPromotedEvent promoted(ModelRegisteredEvent registered) {
        return new ModelPromotedEvent(UUID.randomUUID(), Instant.now().truncatedTo(ChronoUnit.MILLIS), registered.dataset(), registered.datasetSlug(),
                registered.dataVersion(), registered.eventId(), "deploy-service", registered.model(), registered.modelVersion(), null, "staging", false,
                List.of());
    }

    static List<ModelRegisteredEvent> registered(TopicClient topics, String dataset, int count) {
        return read(topics, Topics.MODEL_REGISTERED, dataset, count, ModelRegisteredEvent.class);
    }

    static List<TrainingRunFailedEvent> failed(TopicClient topics, String dataset, int count) {
        return read(topics, Topics.TRAINING_RUN_FAILED, dataset, count, TrainingRunFailedEvent.class);
    }

    static <T extends PipelineEvent> List<T> read(TopicClient topics, String topic, String dataset, int count, Class<T> type) {
        return topics.read(topic, count, r -> dataset.equals(r.key()), Duration.ofSeconds(90)).stream().map(r -> {
            try {
                return EventJson.mapper().readValue(r.value(), type);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    static List<Map<String, Object>> ndjson(Path file) throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> record = EventJson.mapper().readValue(line, Map.class);
            records.add(record);
        }
        return records;
    }

    static io.restassured.specification.RequestSpecification api() {
        return given();
    }
}
