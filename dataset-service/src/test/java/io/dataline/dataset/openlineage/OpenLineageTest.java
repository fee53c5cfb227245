package io.dataline.dataset.openlineage;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.IntNode;
import io.dataline.dataset.Api;
import io.dataline.dataset.messaging.OpenLineageConsumer;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.DriftScore;
import io.dataline.events.FailedCheck;
import io.dataline.events.ModelMetrics;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.events.TrainingRunStartedEvent;
import io.dataline.testsupport.TopicClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineage.RunEvent.EventType;
import io.openlineage.client.OpenLineageClientUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

/**
 * OpenLineage against a local catalog ({@link LineageReceiver}): a real commit of dataset-service, then the events the
 * other stages would publish, give START and COMPLETE (or FAIL) of {@code commit.}, {@code validate.},
 * {@code train.} and {@code promote.} runs, each parsed back with openlineage-java's own model and checked field by
 * field; the catalog being down for a while loses nothing; a failing validation is a FAIL with the reason; an event
 * the catalog refuses is dead (counted), and the events after it still go out.
 */
@QuarkusTest
@TestProfile(OpenLineageTest.WithCatalog.class)
class OpenLineageTest {

    /** The catalog as this test class's own resource (an app of its own, configured to send to it). */
    public static class WithCatalog implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LineageReceiver.class));
        }
    }

    @Inject
    TopicClient topics;

    @Inject
    MeterRegistry meters;

    @Inject
    KafkaClientService clients;

    /**
     * The catalog is not on the pipeline's path: the broker gathers events for each of this consumer's fetches, answering
     * at 64 KiB or after 100 ms rather than once per event (application.properties, BENCHMARKS.md "Fewer fetches").
     */
    @Test
    void shouldLetTheBrokerGatherEventsForTheCatalogsConsumer() {
        Map<String, ?> consumer = clients.getConsumer(OpenLineageConsumer.CHANNEL).configuration();
        assertThat(consumer.get(ConsumerConfig.FETCH_MIN_BYTES_CONFIG)).as("fetch.min.bytes").hasToString("65536");
        assertThat(consumer.get(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG)).as("fetch.max.wait.ms").hasToString("100");
    }

    private static List<RunEvent> received(String job) {
        return LineageReceiver.accepted().stream().map(OpenLineageClientUtils::runEventFromJson).filter(e -> e.getJob().getName().equals(job)).toList();
    }

    private static RunEvent one(String job, EventType type) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> received(job).stream().filter(e -> e.getEventType() == type).toList(),
                l -> !l.isEmpty()).get(0);
    }

    /** The consumer reads from the end: publish a marker until it arrives, so the test's own events are not skipped. */
    private void awaitConsuming() {
        String marker = "marker-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            topics.publish(Topics.TRAINING_RUN_STARTED, new TrainingRunStartedEvent(UUID.randomUUID(), Instant.now(), marker, marker, "0".repeat(64), UUID.randomUUID(),
                    "training-orchestrator", UUID.randomUUID().toString(), marker, "builtin"));
            return !received("train." + marker).isEmpty();
        });
    }

    @Test
    void shouldPublishEveryStageOfAVersionInTheStandardThroughAnOutage() {
        awaitConsuming();
        String name = Api.uniqueName("Lineage catalog");
        Map<String, Object> training = Map.of("labelField", "sentiment", "trainer", "builtin",
                "features", List.of(Map.of("field", "feedback", "type", "text"), Map.of("field", "category", "type", "categorical")));
        String slug = Api.admin().contentType(ContentType.JSON).body(Map.of("name", name, "primaryKey", "id", "schema", Api.feedbackSchema(),
                "pipeline", Map.of("training", training))).post("/datasets").then().statusCode(201).extract().path("slug");
        LineageReceiver.catalog.downFor(Duration.ofSeconds(4)); // the catalog is down while the first events come
        Api.stage(name, List.of(Api.feedback("a", "great", "positive"), Api.feedback("b", "slow", "negative"))).then().statusCode(200);
        String version = Api.commit(name, "first").then().statusCode(201).extract().path("hash");
        String reportPath = "/reports/" + slug + "/" + version;
        LineageReceiver.catalog.serve(reportPath, """
                {"recordCount": 2, "passed": true, "checks": [
                  {"check": "schema", "field": null, "passed": true, "value": 0},
                  {"check": "minRecords", "field": null, "passed": true, "value": 2},
                  {"check": "maxNullFraction", "field": "category", "passed": true, "value": 0.5}],
                 "nullCounts": {"category": 1, "feedback": 0, "id": 0, "score": 2, "sentiment": 0}}""");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID cause = UUID.randomUUID();
        String runId = UUID.randomUUID().toString();
        topics.publish(Topics.DATASET_VALIDATED, new DatasetValidatedEvent(UUID.randomUUID(), at, name, slug, version, cause, "validation-service",
                1, LineageReceiver.url() + reportPath, 3, List.of(new DriftScore("sentiment", 0.1, null, null))));
        topics.publish(Topics.TRAINING_RUN_STARTED, new TrainingRunStartedEvent(UUID.randomUUID(), at.plusMillis(1), name, slug, version, cause,
                "training-orchestrator", runId, slug, "builtin"));
        topics.publish(Topics.MODEL_REGISTERED, new ModelRegisteredEvent(UUID.randomUUID(), at.plusMillis(2), name, slug, version, cause,
                "training-orchestrator", runId, slug, 1, new ModelMetrics(0.9, 0.88, 0.3), null, null, "http://127.0.0.1:8082/models/a", "ab".repeat(32), 1));
        topics.publish(Topics.MODEL_PROMOTED, new ModelPromotedEvent(UUID.randomUUID(), at.plusMillis(3), name, slug, version, cause,
                "deploy-service", slug, 1, null, "staging", false, List.of()));

        RunEvent commitStart = one("commit." + slug, EventType.START);
        RunEvent commitDone = one("commit." + slug, EventType.COMPLETE);
        assertThat(commitDone.getRun().getRunId()).isEqualTo(commitStart.getRun().getRunId());
        assertThat(commitDone.getJob().getNamespace()).isEqualTo("dataline");
        assertThat(commitDone.getProducer().toString()).isEqualTo("dataline://127.0.0.1/dataset-service");
        OpenLineage.OutputDataset committed = commitDone.getOutputs().get(0);
        assertThat(committed.getNamespace()).isEqualTo("dataline://127.0.0.1");
        assertThat(committed.getName()).isEqualTo(slug);
        assertThat(committed.getFacets().getVersion().getDatasetVersion()).isEqualTo(version);
        assertThat(committed.getFacets().getSchema().getFields()).extracting(OpenLineage.SchemaDatasetFacetFields::getName)
                .containsExactly("id", "feedback", "sentiment", "category", "score");
        assertThat(committed.getOutputFacets().getOutputStatistics().getRowCount()).isEqualTo(2);

        RunEvent validateStart = one("validate." + slug, EventType.START);
        RunEvent validated = one("validate." + slug, EventType.COMPLETE);
        assertThat(validated.getRun().getRunId()).isEqualTo(validateStart.getRun().getRunId());
        OpenLineage.InputDataset checked = validated.getInputs().get(0);
        assertThat(checked.getFacets().getVersion().getDatasetVersion()).isEqualTo(version);
        assertThat(checked.getInputFacets().getDataQualityAssertions().getAssertions())
                .extracting(a -> a.getAssertion() + "/" + a.getColumn() + "/" + a.getSuccess())
                .containsExactly("schema/null/true", "minRecords/null/true", "maxNullFraction/category/true");
        assertThat(checked.getInputFacets().getDataQualityMetrics().getRowCount()).isEqualTo(2);
        var columns = checked.getInputFacets().getDataQualityMetrics().getColumnMetrics().getAdditionalProperties();
        assertThat(columns).containsOnlyKeys("category", "feedback", "id", "score", "sentiment");
        assertThat(columns.get("category").getNullCount()).isEqualTo(1);
        assertThat(columns.get("score").getNullCount()).isEqualTo(2);

        RunEvent trainStart = one("train." + slug, EventType.START);
        RunEvent trained = one("train." + slug, EventType.COMPLETE);
        assertThat(trainStart.getRun().getRunId()).isEqualTo(trained.getRun().getRunId()).isEqualTo(UUID.fromString(runId));
        assertThat(trained.getInputs().get(0).getFacets().getVersion().getDatasetVersion()).isEqualTo(version);
        OpenLineage.OutputDataset model = trained.getOutputs().get(0);
        assertThat(model.getName()).isEqualTo("models/" + slug);
        assertThat(model.getFacets().getVersion().getDatasetVersion()).isEqualTo("1");
        assertThat(model.getFacets().getColumnLineage().getFields().getAdditionalProperties().get("sentiment").getInputFields())
                .extracting(OpenLineage.InputField::getField).containsExactly("feedback", "category", "sentiment");
        Map<String, Object> metrics = model.getFacets().getAdditionalProperties().get(ModelMetricsFacet.NAME).getAdditionalProperties();
        assertThat(metrics).containsEntry("heldOutAccuracy", 0.9).containsEntry("modelVersion", 1).containsEntry("artifactSha256", "ab".repeat(32));
        String schemaUrl = model.getFacets().getAdditionalProperties().get(ModelMetricsFacet.NAME).get_schemaURL().toString();
        assertThat(schemaUrl).endsWith(ModelMetricsFacet.SCHEMA);
        assertThat(given().get(ModelMetricsFacet.SCHEMA).then().statusCode(200).extract().asString()) // public: no key
                .contains("\"title\": \"" + ModelMetricsFacet.NAME + "\"");
        given().get("/openlineage/facets/Other.json").then().statusCode(404);
        given().get("/openlineage/facets/../datasets").then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(401),
                org.hamcrest.Matchers.is(404))); // nothing else is public
        given().get("/datasets").then().statusCode(401);

        RunEvent promoteStart = one("promote." + slug, EventType.START);
        RunEvent promoted = one("promote." + slug, EventType.COMPLETE);
        assertThat(promoted.getRun().getRunId()).isEqualTo(promoteStart.getRun().getRunId());
        assertThat(promoted.getInputs().get(0).getName()).isEqualTo("models/" + slug);
        assertThat(LineageReceiver.catalog.received()).as("the catalog was down for the first events").anyMatch(r -> r.status() == 503);
        // the same events on the topic, keyed by run id
        var onTopic = topics.read(LineageReceiver.TOPIC, 1, r -> r.key().equals(runId)
                && new String(r.value(), java.nio.charset.StandardCharsets.UTF_8).contains("\"COMPLETE\""), Duration.ofSeconds(30)).get(0);
        RunEvent fromTopic = OpenLineageClientUtils.runEventFromJson(new String(onTopic.value(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(fromTopic.getJob().getName()).isEqualTo("train." + slug);
        assertThat(fromTopic.getOutputs().get(0).getName()).isEqualTo("models/" + slug);
        assertThat(LineageReceiver.catalog.received()).filteredOn(r -> r.path().equals("/api/v1/lineage"))
                .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer " + LineageReceiver.TOKEN));
    }

    @Test
    void shouldFailAValidationRunWithItsReasonAndCountARefusedEventDead() {
        awaitConsuming();
        String name = Api.uniqueName("Lineage failing");
        String slug = Api.createFeedbackDataset(name);
        String version = Api.commitOne(name, "too few");
        String reportPath = "/reports/" + slug + "/" + version;
        LineageReceiver.catalog.serve(reportPath, """
                {"recordCount": 1, "passed": false, "checks": [{"check": "schema", "passed": true, "value": 0},
                  {"check": "minRecords", "passed": false, "value": 1, "threshold": 100}]}""");
        String refused = "refused-" + UUID.randomUUID();
        LineageReceiver.catalog.refuseContaining(refused, 400);
        double dead = meters.counter("dataline.openlineage.events", "outcome", "dead").count();
        topics.publish(Topics.TRAINING_RUN_FAILED, new TrainingRunFailedEvent(UUID.randomUUID(), Instant.now(), refused, refused, "0".repeat(64), UUID.randomUUID(),
                "training-orchestrator", UUID.randomUUID().toString(), refused, "builtin", "never accepted"));
        topics.publish(Topics.DATASET_VALIDATION_FAILED, new DatasetValidationFailedEvent(UUID.randomUUID(), Instant.now(), name, slug, version,
                UUID.randomUUID(), "validation-service", 1, LineageReceiver.url() + reportPath, 2, List.of(),
                List.of(new FailedCheck("minRecords", null, IntNode.valueOf(1), IntNode.valueOf(100), List.of()))));

        RunEvent failed = one("validate." + slug, EventType.FAIL);
        assertThat(failed.getRun().getFacets().getErrorMessage().getMessage()).isEqualTo("validation failed: minRecords (1)");
        assertThat(failed.getRun().getRunId()).isEqualTo(one("validate." + slug, EventType.START).getRun().getRunId());
        assertThat(failed.getInputs().get(0).getInputFacets().getDataQualityAssertions().getAssertions())
                .extracting(a -> a.getAssertion() + "/" + a.getSuccess()).containsExactly("schema/true", "minRecords/false");
        await().atMost(Duration.ofSeconds(30)).until(() -> meters.counter("dataline.openlineage.events", "outcome", "dead").count() == dead + 1);

        // a report URL that is not validation-service's is never fetched (the admin key goes nowhere else)
        topics.publish(Topics.DATASET_VALIDATED, new DatasetValidatedEvent(UUID.randomUUID(), Instant.now(), name, slug, version,
                UUID.randomUUID(), "validation-service", 1, LineageReceiver.url() + "/elsewhere/report", 1, List.of()));
        RunEvent elsewhere = one("validate." + slug, EventType.COMPLETE);
        assertThat(elsewhere.getInputs().get(0).getInputFacets()).isNull();
        assertThat(LineageReceiver.catalog.received()).noneMatch(r -> r.path().startsWith("/elsewhere"));
        assertThat(LineageReceiver.catalog.received()).as("a refused event is not sent again").filteredOn(r -> r.bodyText().contains(refused))
                .singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(400));
    }

    @Test
    void shouldEndABranchCandidatesPromoteRunWithTheGatesVerdict() {
        String name = Api.uniqueName("Lineage candidate");
        String slug = Api.createFeedbackDataset(name);
        awaitConsuming();
        String version = Api.commitOne(name, "on a branch, say");
        topics.publish(Topics.MODEL_CANDIDATE_EVALUATED, new io.dataline.events.ModelCandidateEvaluatedEvent(UUID.randomUUID(), Instant.now(), name,
                slug, version, UUID.randomUUID(), "deploy-service", slug, 7, "staging", 6, false,
                List.of(new io.dataline.events.GateResult("accuracy", "min", 0.9, 0.5, false)), "accuracy min: measured 0.5000, threshold 0.9000",
                "relabel"));

        RunEvent rejected = one("promote." + slug, EventType.FAIL);
        assertThat(rejected.getRun().getFacets().getErrorMessage().getMessage())
                .isEqualTo("candidate rejected by the gates: accuracy min: measured 0.5000, threshold 0.9000");
        assertThat(rejected.getInputs()).singleElement().satisfies(input -> {
            assertThat(input.getName()).isEqualTo("models/" + slug);
            assertThat(input.getFacets().getVersion().getDatasetVersion()).isEqualTo("7");
        });
    }
}
