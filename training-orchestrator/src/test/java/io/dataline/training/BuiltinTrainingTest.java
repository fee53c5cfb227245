package io.dataline.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.events.TrainingRunStartedEvent;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.SampleEvents;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The built-in trainer end to end with the real dataset-service, broker and database: a validated text dataset is
 * trained, evaluated and registered with its lineage ({@code training.run-started}, then {@code model.registered}); the
 * artifact is served with the checksum the event names; the held-out sample is kept; redelivery and a second event for
 * the same version make no second model version; retraining from the lineage gives identical metrics; a staged
 * version is evaluated as the baseline on the same held-out records, and compare agrees with it.
 */
@QuarkusTest
class BuiltinTrainingTest {

    @Inject
    TopicClient topics;

    @Inject
    ModelVersionRepository modelVersions;

    @Inject
    io.dataline.training.artifact.ArtifactStore artifactStore;

    @Inject
    io.dataline.training.service.ModelEvaluator evaluator;

    @Test
    void shouldTrainRegisterAndServeAModelForAValidatedVersion() throws Exception {
        String name = DatasetServiceApi.uniqueName("Feedback");
        String slug = Pipeline.createFeedback(name, Pipeline.TEXT_SPEC);
        String version = Pipeline.commit(name, Pipeline.feedback(300, 11));
        DatasetValidatedEvent validated = Pipeline.validated(name, slug, version);

        topics.publish(Topics.DATASET_VALIDATED, validated);

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);
        assertThat(registered.model()).isEqualTo(slug);
        assertThat(registered.modelVersion()).isEqualTo(1);
        assertThat(registered.dataVersion()).isEqualTo(version);
        assertThat(registered.causationId()).isEqualTo(validated.eventId());
        assertThat(registered.metrics().accuracy()).isGreaterThan(0.8);
        assertThat(registered.baselineVersion()).isNull();
        assertThat(registered.baselineMetrics()).isNull();
        assertThat(registered.artifactFormat()).isEqualTo(io.dataline.models.BuiltinModel.FORMAT);
        TrainingRunStartedEvent started = Pipeline.read(topics, Topics.TRAINING_RUN_STARTED, name, 1, TrainingRunStartedEvent.class).get(0);
        assertThat(started.runId()).isEqualTo(registered.runId());
        assertThat(started.trainer()).isEqualTo("builtin");

        String dataHash = DatasetServiceApi.request().get("/datasets/{d}/versions/{v}", slug, version).then().extract().path("dataHash");
        given().get("/models/{m}/versions/1", slug).then().statusCode(200)
                .body("dataset", equalTo(name)).body("dataVersion", equalTo(version)).body("dataHash", equalTo(dataHash))
                .body("pipelineRevision", equalTo(validated.pipelineRevision())).body("trainer", equalTo("builtin"))
                .body("codeCommit", equalTo("unknown")).body("runId", equalTo(registered.runId()))
                .body("metrics.accuracy", equalTo((float) registered.metrics().accuracy()))
                .body("metrics.perClass.positive.support", org.hamcrest.Matchers.greaterThan(0))
                .body("metrics.confusionMatrix.labels", equalTo(List.of("negative", "positive")))
                .body("artifact.sha256", equalTo(registered.artifactSha256())).body("artifact.uri", equalTo(registered.artifactUri()));
        given().get("/models?dataset={d}", slug).then().statusCode(200).body("name", equalTo(List.of(slug)))
                .body("[0].versions", equalTo(1)).body("[0].latestVersion", equalTo(1)).body("[0].stagingVersion", equalTo(null));
        given().get("/models?dataset={d}", name).then().statusCode(200).body("name", equalTo(List.of(slug)));
        given().get("/models?dataset=someone-else").then().statusCode(200).body("size()", equalTo(0));
        given().get("/runs/{id}", registered.runId()).then().statusCode(200).body("state", equalTo("SUCCEEDED")).body("modelVersion", equalTo(1))
                .body("attempts", equalTo(1)).body("logsTail", org.hamcrest.Matchers.containsString("registered " + slug + " v1"))
                // the event began reading the version's 300 records before the run was queued; the run took them
                .body("logsTail", org.hamcrest.Matchers.containsString(" labelled); read while the run was queued"));

        byte[] artifact = given().get("/models/{m}/versions/1/artifact", slug).then().statusCode(200).extract().asByteArray();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(artifact))).isEqualTo(registered.artifactSha256());
        given().get("/models/{m}/versions/1/sample", slug).then().statusCode(200).body("labelField", equalTo("sentiment"))
                .body("records", hasSize(20)).body("records[0].predicted", org.hamcrest.Matchers.notNullValue());

        // the model this JVM trained stays loaded as the version's (the next run's staged baseline once promoted): it is
        // not read from its artifact again, and it predicts exactly as the artifact read back does
        ModelVersion v1 = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> modelVersions.find(slug, 1)).orElseThrow();
        java.nio.file.Path file = artifactStore.resolve(v1.artifactPath);
        java.nio.file.Path aside = file.resolveSibling(file.getFileName() + ".aside");
        java.nio.file.Files.move(file, aside);
        io.dataline.models.BuiltinModel remembered;
        try {
            remembered = evaluator.load(v1).orElseThrow();
        } finally {
            java.nio.file.Files.move(aside, file);
        }
        io.dataline.models.BuiltinModel read = io.dataline.models.BuiltinModel.read(new java.io.ByteArrayInputStream(artifact));
        for (Map<String, Object> record : Pipeline.feedback(40, 12)) {
            com.fasterxml.jackson.databind.JsonNode json = io.dataline.events.EventJson.mapper().valueToTree(record);
            assertThat(remembered.predict(json)).isEqualTo(read.predict(json));
        }
    }

    @Test
    void shouldMakeOneModelVersionWhateverTheRedelivery() {
        String name = DatasetServiceApi.uniqueName("Redelivered");
        String slug = Pipeline.createFeedback(name, Pipeline.TEXT_SPEC);
        String version = Pipeline.commit(name, Pipeline.feedback(120, 5));
        DatasetValidatedEvent validated = Pipeline.validated(name, slug, version);

        topics.publish(Topics.DATASET_VALIDATED, validated);
        Pipeline.registered(topics, name, 1);
        topics.publish(Topics.DATASET_VALIDATED, validated);
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, version)); // e.g. a validation rerun
        DatasetValidatedEvent marker = Pipeline.validated(name, slug, Pipeline.commit(name, Pipeline.feedback(130, 6)));
        topics.publish(Topics.DATASET_VALIDATED, marker);

        Pipeline.registered(topics, name, 2); // the marker's version; everything before it was consumed first
        given().get("/runs?dataset={d}", slug).then().statusCode(200).body("", hasSize(2));
        given().get("/models/{m}/versions", slug).then().statusCode(200).body("version", equalTo(List.of(2, 1)))
                .body("dataVersion", equalTo(List.of(marker.dataVersion(), version)));
    }

    @Test
    void shouldReadTheVersionsOwnViewWhenTheEventAnnouncedItWrong() {
        String name = DatasetServiceApi.uniqueName("Misannounced");
        String slug = Pipeline.createFeedback(name, Pipeline.TEXT_SPEC);
        String version = Pipeline.commit(name, Pipeline.feedback(120, 9));
        DatasetValidatedEvent right = Pipeline.validated(name, slug, version);
        DatasetValidatedEvent wrong = new DatasetValidatedEvent(right.eventId(), right.occurredAt(), name, slug, version, right.causationId(),
                right.producer(), right.pipelineRevision(), right.reportUrl(), right.checksRun(), right.drift(), null, "0".repeat(64),
                right.recordCount() + 3, right.treeFormat());

        topics.publish(Topics.DATASET_VALIDATED, wrong);

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);
        assertThat(registered.dataVersion()).isEqualTo(version);
        given().get("/models/{m}/versions/1", slug).then().statusCode(200).body("dataHash", equalTo(right.dataHash()))
                .body("trainRecords", org.hamcrest.Matchers.greaterThan(0));
    }

    @Test
    void shouldReproduceTheMetricsWhenRetrainedFromTheLineageAndEvaluateTheStagedBaseline() {
        String name = DatasetServiceApi.uniqueName("Reproducible");
        String slug = Pipeline.createFeedback(name, Pipeline.TEXT_SPEC);
        String version = Pipeline.commit(name, Pipeline.feedback(250, 21));
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, version));
        ModelRegisteredEvent first = Pipeline.registered(topics, name, 1).get(0);
        Map<String, Object> lineage = given().get("/models/{m}/versions/1", slug).then().statusCode(200).extract().jsonPath().getMap("");

        given().contentType(ContentType.JSON).body(Map.of("dataset", lineage.get("dataset"), "dataVersion", lineage.get("dataVersion")))
                .post("/runs").then().statusCode(202).body("state", equalTo("QUEUED")).body("trigger", equalTo("manual"))
                .body("requestedBy", equalTo("admin"));
        ModelRegisteredEvent retrained = Pipeline.registered(topics, name, 2).get(1);

        assertThat(retrained.modelVersion()).isEqualTo(2);
        assertThat(retrained.metrics()).isEqualTo(first.metrics());
        Object perClass = given().get("/models/{m}/versions/2", slug).then().extract().path("metrics");
        assertThat(perClass).isEqualTo(((Map<?, ?>) lineage).get("metrics"));

        topics.publish(Topics.MODEL_PROMOTED, Pipeline.promoted(first));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/models/{m}/versions/1", slug).then().body("staged", equalTo(true)));
        String next = Pipeline.commit(name, Pipeline.feedback(260, 22));
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validatedAsBefore(name, slug, next)); // an event from before it carried the version's facts
        ModelRegisteredEvent candidate = Pipeline.registered(topics, name, 3).get(2);

        assertThat(candidate.baselineVersion()).isEqualTo(1);
        assertThat(candidate.baselineMetrics()).isNotNull();
        // a built-in staged model is measured while the trainer works, on the same records compare reads (below)
        given().get("/runs/{id}", candidate.runId()).then().statusCode(200)
                .body("logsTail", containsString("staged baseline v1 (measured beside the trainer) on the same held-out records"));
        given().contentType(ContentType.JSON).body(Map.of("against", 1)).post("/models/{m}/versions/3/compare", slug).then().statusCode(200)
                .body("version", equalTo(3)).body("against", equalTo(1))
                .body("metrics.accuracy", equalTo((float) candidate.metrics().accuracy()))
                .body("againstMetrics.accuracy", equalTo((float) candidate.baselineMetrics().accuracy()))
                .body("againstMetrics.logLoss", equalTo((float) candidate.baselineMetrics().logLoss()));
        // the list's summary: the newest version's dataset, how many versions, the newest, the one in staging
        given().get("/models?dataset={d}", slug).then().statusCode(200).body("name", equalTo(List.of(slug)))
                .body("[0].dataset", equalTo(name)).body("[0].datasetSlug", equalTo(slug)).body("[0].versions", equalTo(3))
                .body("[0].latestVersion", equalTo(3)).body("[0].stagingVersion", equalTo(1));
    }

    @Test
    void shouldFailARunWhoseTrainerFailsWhileTheStagedBaselineIsMeasuredBesideIt() throws Exception {
        String name = DatasetServiceApi.uniqueName("Baseline beside");
        String slug = Pipeline.createFeedback(name, Pipeline.TEXT_SPEC);
        List<Map<String, Object>> records = Pipeline.feedback(160, 31);
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, Pipeline.commit(name, records)));
        ModelRegisteredEvent first = Pipeline.registered(topics, name, 1).get(0);
        topics.publish(Topics.MODEL_PROMOTED, Pipeline.promoted(first));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/models/{m}/versions/1", slug).then().body("staged", equalTo(true)));

        // every record now says "positive": the built-in trainer refuses a single label, with v1 in staging to measure
        List<Map<String, Object>> oneLabel = records.stream().map(r -> {
            Map<String, Object> copy = new java.util.HashMap<>(r);
            copy.put("sentiment", "positive");
            return (Map<String, Object>) copy;
        }).toList();
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, Pipeline.commit(name, oneLabel)));
        io.dataline.events.TrainingRunFailedEvent failed = Pipeline.failed(topics, name, 1).get(0);

        assertThat(failed.reason()).contains("single label");
        given().get("/runs/{id}", failed.runId()).then().statusCode(200).body("state", equalTo("FAILED")).body("attempts", equalTo(1));
        // the attempt's split is gone once the measurement beside the trainer has ended, as after any attempt
        java.nio.file.Path data = java.nio.file.Path.of("target/test-runs", failed.runId(), "attempt-1", "data");
        assertThat(data.resolve("train.ndjson")).doesNotExist();
        assertThat(data.resolve("heldout.ndjson")).doesNotExist();
        assertThat(modelVersions.find("model", slug).count()).isEqualTo(1);
    }

    @Test
    void shouldEndThePipelineAtValidationWithoutATrainingSpec() {
        String name = DatasetServiceApi.uniqueName("Untrained");
        String slug = Pipeline.createFeedback(name, null);
        String version = Pipeline.commit(name, Pipeline.feedback(50, 1));
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, version));
        String marker = DatasetServiceApi.uniqueName("Marker");
        String markerSlug = Pipeline.createFeedback(marker, Pipeline.TEXT_SPEC);
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(marker, markerSlug, Pipeline.commit(marker, Pipeline.feedback(80, 2))));

        Pipeline.registered(topics, marker, 1);
        given().get("/runs?dataset={d}", slug).then().statusCode(200).body("", hasSize(0));
        given().get("/models/{m}/versions", slug).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldRejectAManualRunForAnUnknownVersionOrADatasetWithoutSpec() {
        String name = DatasetServiceApi.uniqueName("Manual");
        Pipeline.createFeedback(name, null);
        String version = Pipeline.commit(name, Pipeline.feedback(20, 3));

        given().contentType(ContentType.JSON).body(Map.of("dataset", name, "dataVersion", SampleEvents.sha256("nope")))
                .post("/runs").then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("dataset", name, "dataVersion", version))
                .post("/runs").then().statusCode(422).body("detail", org.hamcrest.Matchers.containsString("has no training spec"));
        given().contentType(ContentType.JSON).body(Map.of("dataset", name)).post("/runs").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{not json").post("/runs").then().statusCode(400);
    }
}
