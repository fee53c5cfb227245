package io.dataline.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.dataline.deploy.serving.ArtifactPreparer;
import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * What must never reach staging, and what must never happen twice: an artifact whose SHA-256 does not match the
 * registration, an artifact URI that is not on the registry (the service's key never leaves for another host), a
 * model whose smoke check fails (its held-out sample predicts differently than at evaluation) are
 * rejected with staging unchanged; a redelivered registration makes no second promotion or audit row; staging that
 * moved since the candidate was evaluated is compared again by training-orchestrator before relative gates apply;
 * poison goes to {@code model.registered.deploy-service.dlq}; what was read ahead for a promotion that did not happen is
 * not left on disk, and no more than two promotions read ahead at once.
 */
@QuarkusTest
class PromotionSafetyTest {

    @Inject
    TopicClient topics;

    @Inject
    ArtifactPreparer preparer;

    private Promotions.Dataset staged(String prefix) {
        Promotions.Dataset dataset = Promotions.staged(topics, prefix, PromotionGatesTest.POLICY, Promotions.metrics(0.85, 0.84, 0.4));
        return dataset;
    }

    @Test
    void shouldRejectAnArtifactWhoseChecksumDoesNotMatch() {
        Promotions.Dataset dataset = staged("Tampered");
        ModelRegisteredEvent v2 = Promotions.register(dataset, 2, Promotions.metrics(0.9, 0.9, 0.3), 1, Promotions.metrics(0.85, 0.84, 0.4));
        RegistryStub.tamperArtifact(dataset.slug(), 2, "something else".getBytes(StandardCharsets.UTF_8));

        topics.publish(Topics.MODEL_REGISTERED, v2);

        ModelPromotionRejectedEvent rejected = Promotions.rejected(topics, dataset, 1);
        assertThat(rejected.reason()).startsWith("artifact SHA-256 mismatch: registered " + v2.artifactSha256() + ", downloaded ");
        assertThat(rejected.gates()).allMatch(g -> g.passed());
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(1));
        given().contentType("application/json").body("{\"records\": [{\"feedback\": \"great\"}]}").post("/models/{m}/staging/predict", dataset.slug())
                .then().statusCode(200).body("version", equalTo(1));
    }

    @Test
    void shouldStreamArtifactsAndLoadOnlyBuiltinModelsWithinTheirLimit() {
        Promotions.Dataset dataset = staged("Sizes");
        ModelRegisteredEvent v2 = Promotions.register(dataset, 2, Promotions.metrics(0.9, 0.9, 0.3), 1, Promotions.metrics(0.85, 0.84, 0.4));
        byte[] huge = new byte[3 * 1024 * 1024]; // over the 2 MiB built-in limit of the test profile
        new java.util.Random(1).nextBytes(huge);
        RegistryStub.tamperArtifact(dataset.slug(), 2, huge);
        topics.publish(Topics.MODEL_REGISTERED, Promotions.event(dataset, 2, v2.metrics(), 1, v2.baselineMetrics(),
                new String[] {v2.artifactUri(), RegistryStub.sha256(huge)}));
        assertThat(Promotions.rejected(topics, dataset, 1).reason()).contains("is larger than 2097152 bytes")
                .contains("dataline.max-builtin-artifact-bytes");

        // an external artifact is only verified, streamed: 6 MiB is fine, past max-artifact-bytes (8 MiB here) is not
        byte[] external = new byte[6 * 1024 * 1024];
        new java.util.Random(2).nextBytes(external);
        String[] v3 = RegistryStub.registerExternal(dataset.slug(), 3, external);
        topics.publish(Topics.MODEL_REGISTERED, Promotions.event(dataset, 3, Promotions.metrics(0.9, 0.9, 0.3), 1,
                Promotions.metrics(0.85, 0.84, 0.4), v3));
        assertThat(Promotions.promoted(topics, dataset, 2).modelVersion()).isEqualTo(3);
        byte[] tooLarge = new byte[9 * 1024 * 1024];
        String[] v4 = RegistryStub.registerExternal(dataset.slug(), 4, tooLarge);
        topics.publish(Topics.MODEL_REGISTERED, Promotions.event(dataset, 4, Promotions.metrics(0.95, 0.95, 0.2), 3,
                Promotions.metrics(0.9, 0.9, 0.3), v4));
        assertThat(Promotions.rejected(topics, dataset, 2).reason()).contains("is larger than 8388608 bytes").contains("dataline.max-artifact-bytes");
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(3));
    }

    @Test
    void shouldTakeTheArtifactsFormatFromTheEventAndAskTheRegistryOnlyWhenAnOlderEventLacksIt() {
        Promotions.Dataset dataset = staged("Announced format");
        ModelRegisteredEvent v2 = Promotions.register(dataset, 2, Promotions.metrics(0.9, 0.9, 0.3), 1, Promotions.metrics(0.85, 0.84, 0.4));
        assertThat(v2.artifactFormat()).isEqualTo(io.dataline.models.BuiltinModel.FORMAT);

        topics.publish(Topics.MODEL_REGISTERED, v2);

        assertThat(Promotions.promoted(topics, dataset, 2).modelVersion()).isEqualTo(2);
        assertThat(RegistryStub.viewReads(dataset.slug(), 2)).isZero(); // loaded and smoke-checked as a built-in model all the same
        given().contentType("application/json").body("{\"records\": [{\"feedback\": \"great\"}]}").post("/models/{m}/staging/predict", dataset.slug())
                .then().statusCode(200).body("version", equalTo(2));

        ModelRegisteredEvent v3 = Promotions.register(dataset, 3, Promotions.metrics(0.95, 0.95, 0.2), 2, Promotions.metrics(0.9, 0.9, 0.3));
        topics.publish(Topics.MODEL_REGISTERED, Promotions.event(dataset, 3, v3.metrics(), 2, v3.baselineMetrics(),
                new String[] {v3.artifactUri(), v3.artifactSha256()})); // as training-orchestrator announced it before

        assertThat(Promotions.promoted(topics, dataset, 3).modelVersion()).isEqualTo(3);
        assertThat(RegistryStub.viewReads(dataset.slug(), 3)).isEqualTo(1);
    }

    @Test
    void shouldNeverFetchAnArtifactFromAHostThatIsNotTheRegistry() {
        Promotions.Dataset dataset = staged("Elsewhere");
        ModelRegisteredEvent v2 = Promotions.register(dataset, 2, Promotions.metrics(0.9, 0.9, 0.3), 1, Promotions.metrics(0.85, 0.84, 0.4));
        ModelRegisteredEvent elsewhere = Promotions.event(dataset, 2, v2.metrics(), 1, v2.baselineMetrics(),
                new String[] {"http://169.254.169.254/latest/meta-data/model.zip", v2.artifactSha256()});

        topics.publish(Topics.MODEL_REGISTERED, elsewhere);

        ModelPromotionRejectedEvent rejected = Promotions.rejected(topics, dataset, 1);
        assertThat(rejected.reason()).startsWith("the artifact URI http://169.254.169.254/latest/meta-data/model.zip is not on the model registry");
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(1));
    }

    @Test
    void shouldRejectAModelWhoseSmokeCheckFails() {
        Promotions.Dataset dataset = staged("Smoky");
        ModelRegisteredEvent v2 = Promotions.register(dataset, 2, Promotions.metrics(0.9, 0.9, 0.3), 1, Promotions.metrics(0.85, 0.84, 0.4));
        RegistryStub.tamperSample(dataset.slug(), 2);

        topics.publish(Topics.MODEL_REGISTERED, v2);

        ModelPromotionRejectedEvent rejected = Promotions.rejected(topics, dataset, 1);
        assertThat(rejected.reason()).startsWith("smoke check failed: 20 of 20 held-out sample records predicted differently than at evaluation");
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(1));
        given().get("/models/{m}/promotions", dataset.slug()).then().body("", hasSize(1));
    }

    @Test
    void shouldPromoteOnceWhateverTheRedelivery() throws java.io.IOException {
        java.util.Set<java.nio.file.Path> artifactsBefore = artifactFiles();
        Promotions.Dataset dataset = Promotions.dataset("Redelivered", PromotionGatesTest.POLICY);
        ModelRegisteredEvent v1 = Promotions.register(dataset, 1, Promotions.metrics(0.85, 0.84, 0.4), null, null);
        topics.publish(Topics.MODEL_REGISTERED, v1);
        Promotions.promoted(topics, dataset, 1);

        topics.publish(Topics.MODEL_REGISTERED, v1);
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 2, Promotions.metrics(0.5, 0.5, 0.9), 1, Promotions.metrics(0.85, 0.84, 0.4)));
        Promotions.rejected(topics, dataset, 1); // the marker: everything before it was consumed

        assertThat(Promotions.read(topics, Topics.MODEL_PROMOTED, dataset, 1, ModelPromotedEvent.class)).hasSize(1);
        given().get("/models/{m}/promotions", dataset.slug()).then().body("", hasSize(1));
        // the artifacts read ahead as the events arrived (v1 again, and v2 which the gates rejected) are not left on disk
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(artifactFiles()).isSubsetOf(artifactsBefore));
    }

    @Test
    void shouldReadAheadForAtMostTwoPromotionsAtOnce() throws Exception {
        Promotions.Dataset dataset = Promotions.dataset("Ahead", PromotionGatesTest.POLICY);
        List<ModelRegisteredEvent> versions = new java.util.ArrayList<>();
        for (int v = 1; v <= 3; v++) {
            versions.add(Promotions.register(dataset, v, Promotions.metrics(0.85, 0.84, 0.4), null, null));
        }
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        RegistryStub.holdArtifacts(gate);
        try (ArtifactPreparer.Fetch first = ahead(versions.get(0)); ArtifactPreparer.Fetch second = ahead(versions.get(1));
                ArtifactPreparer.Fetch third = ahead(versions.get(2))) {
            assertThat(first).isNotNull();
            assertThat(second).isNotNull();
            assertThat(third).as("a third read ahead while two are under way").isNull();
            gate.countDown();
            // once the reads are done their slots are free again, and what they read is what the promotion needs
            assertThat(preparer.prepare(first, versions.get(0).dataVersion(), versions.get(0).artifactSha256()).loaded()).isPresent();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (ArtifactPreparer.Fetch again = ahead(versions.get(2))) {
                    return again != null;
                }
            });
        } finally {
            RegistryStub.holdArtifacts(null);
            gate.countDown();
        }
    }

    private ArtifactPreparer.Fetch ahead(ModelRegisteredEvent event) {
        return preparer.ahead(event.model(), event.modelVersion(), event.artifactUri(), event.artifactFormat());
    }

    /** The temporary files artifacts are downloaded to. */
    private static java.util.Set<java.nio.file.Path> artifactFiles() throws java.io.IOException {
        try (var files = java.nio.file.Files.newDirectoryStream(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), "dataline-artifact-*")) {
            java.util.Set<java.nio.file.Path> found = new java.util.HashSet<>();
            files.forEach(found::add);
            return found;
        }
    }

    @Test
    void shouldCompareAgainWhenStagingMovedSinceTheEvaluation() {
        Promotions.Dataset dataset = staged("Moved");
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 2, Promotions.metrics(0.9, 0.89, 0.3), 1, Promotions.metrics(0.85, 0.84, 0.4)));
        Promotions.promoted(topics, dataset, 2);
        // v3 was evaluated while v1 was staged and beats v1, but on v3's held-out records v2 is better.
        ModelRegisteredEvent v3 = Promotions.register(dataset, 3, Promotions.metrics(0.88, 0.87, 0.35), 1, Promotions.metrics(0.85, 0.84, 0.4));
        var answer = RegistryStub.JSON.createObjectNode().put("model", dataset.slug()).put("version", 3).put("against", 2);
        answer.putObject("metrics").put("accuracy", 0.87).put("macroF1", 0.86).put("logLoss", 0.36);
        answer.putObject("againstMetrics").put("accuracy", 0.92).put("macroF1", 0.91).put("logLoss", 0.25);
        RegistryStub.compareAnswer(dataset.slug(), 3, 2, answer);
        int calls = RegistryStub.COMPARE_CALLS.get();

        topics.publish(Topics.MODEL_REGISTERED, v3);

        ModelPromotionRejectedEvent rejected = Promotions.rejected(topics, dataset, 1);
        assertThat(RegistryStub.COMPARE_CALLS.get()).isGreaterThan(calls);
        assertThat(rejected.reason()).contains("macroF1 maxRegression: measured 0.0500");
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(2));
    }

    @Test
    void shouldRejectWhenTheStagedModelCannotBeMeasuredOnTheCandidatesRecords() {
        Promotions.Dataset dataset = staged("Unmeasurable");
        // v2 beats v1 on its own registered numbers, but v1 could not be measured on v2's held-out records (no baseline
        // metrics) and compare answers 409: nothing measured on the same records, so the comparing gates fail
        ModelRegisteredEvent v2 = Promotions.register(dataset, 2, Promotions.metrics(0.95, 0.95, 0.1), 1, null);
        int calls = RegistryStub.COMPARE_CALLS.get();

        topics.publish(Topics.MODEL_REGISTERED, v2);

        ModelPromotionRejectedEvent rejected = Promotions.rejected(topics, dataset, 1);
        assertThat(RegistryStub.COMPARE_CALLS.get()).isGreaterThan(calls);
        assertThat(rejected.reason()).contains("measured n/a").contains("staged v1 could not be measured on v2's held-out records");
        given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", equalTo(1));
    }

    @Test
    void shouldDeadLetterPoisonAndEventsForUnknownVersions() {
        String key = "poison-" + UUID.randomUUID();
        topics.publishRaw(Topics.MODEL_REGISTERED, key, "not json".getBytes(StandardCharsets.UTF_8));
        Promotions.Dataset dataset = Promotions.dataset("Unknown artifact", null);
        ModelRegisteredEvent missing = Promotions.event(dataset, 7, Promotions.metrics(0.9, 0.9, 0.1), null, null,
                new String[] {RegistryStub.url() + "/models/" + dataset.slug() + "/versions/7/artifact", "00".repeat(32)});
        topics.publish(Topics.MODEL_REGISTERED, missing);

        String dlq = Topics.deadLetter(Topics.MODEL_REGISTERED, "deploy-service");
        ConsumerRecord<String, byte[]> poison = topics.read(dlq, 1, r -> key.equals(r.key()), Duration.ofSeconds(60)).get(0);
        ConsumerRecord<String, byte[]> unknown = topics.read(dlq, 1, r -> dataset.name().equals(r.key()), Duration.ofSeconds(60)).get(0);

        assertThat(new String(poison.value(), StandardCharsets.UTF_8)).isEqualTo("not json");
        assertThat(TopicClient.header(unknown, "dead-letter-reason")).contains("does not exist in training-orchestrator");
    }
}
