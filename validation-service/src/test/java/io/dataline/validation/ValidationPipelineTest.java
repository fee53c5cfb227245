package io.dataline.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.DatasetValidatedEvent;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Covers validation end to end with the real dataset-service, broker and database: a commit is validated in the
 * commit's trace and announced on {@code dataset.validated} with its drift scores (checked against a hand
 * computation on a shifted label distribution); a version that breaks its contract is announced on
 * {@code dataset.validation-failed} with the failed checks and offending keys; the report is served; a redelivered
 * event makes no second report or event; a rerun makes a new report.
 */
@QuarkusTest
class ValidationPipelineTest {

    @Inject
    TopicClient topics;

    @Inject
    Reports reports;

    @Inject
    CommittedVersions inbox;

    @Test
    void shouldValidateACommitInItsTraceAndScoreDrift() throws Exception {
        String name = DatasetServiceApi.uniqueName("Drifting");
        String slug = DatasetServiceApi.create(name, Map.of("minRecords", 10,
                "drift", List.of(Map.of("field", "sentiment", "maxLInfinity", 0.5, "maxJensenShannon", 0.5))));
        List<Map<String, Object>> first = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            first.add(DatasetServiceApi.record("r" + i, "text " + i, i < 50 ? "positive" : "negative"));
        }
        String parent = DatasetServiceApi.commit(name, first, null);
        List<Map<String, Object>> shifted = new ArrayList<>();
        for (int i = 50; i < 80; i++) {
            shifted.add(DatasetServiceApi.record("r" + i, "text " + i, "positive")); // now 80 positive, 20 negative
        }
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4736";
        String version = DatasetServiceApi.commit(name, shifted, "00-" + traceId + "-00f067aa0ba902b7-01");

        ConsumerRecord<String, byte[]> record = topics.read(Topics.DATASET_VALIDATED, 2, r -> name.equals(r.key()), Duration.ofSeconds(60)).get(1);
        DatasetValidatedEvent validated = EventJson.mapper().readValue(record.value(), DatasetValidatedEvent.class);
        assertThat(validated.dataVersion()).isEqualTo(version);
        assertThat(validated.producer()).isEqualTo("validation-service");
        assertThat(validated.reportUrl()).endsWith("/reports/" + slug + "/" + version);
        assertThat(validated.drift()).singleElement().satisfies(drift -> {
            assertThat(drift.field()).isEqualTo("sentiment");
            assertThat(drift.lInfinity()).isCloseTo(0.3, within(1e-12));
            assertThat(drift.jensenShannon()).isCloseTo(0.07310400793180985, within(1e-12)); // hand computation in DriftTest
            assertThat(drift.psi()).isNull();
        });
        assertThat(TopicClient.header(record, "traceparent")).startsWith("00-" + traceId + "-");
        assertThat(inbox.ofDataset(name)).extracting(v -> v.traceId).contains(traceId);
        DatasetCommittedEvent commit = committedEvent(name, version);
        assertThat(validated.causationId()).isEqualTo(commit.eventId());
        // what a reader of the records checks them against travels on: the commit told validation, validation tells training
        assertThat(commit.schemaVersion()).isEqualTo(1);
        assertThat(commit.treeFormat()).isNotNull();
        assertThat(validated.dataHash()).isEqualTo(commit.dataHash());
        assertThat(validated.recordCount()).isEqualTo(100L);
        assertThat(validated.treeFormat()).isEqualTo(commit.treeFormat());

        Number lInfinity = RestAssured.get("/reports/{d}/{v}", slug, version).then().statusCode(200)
                .body("passed", equalTo(true)).body("parent", equalTo(parent)).body("recordCount", equalTo(100))
                .body("nullCounts.id", equalTo(0)).body("nullCounts.sentiment", equalTo(0)).body("nullCounts.score", equalTo(100))
                .extract().path("drift[0].lInfinity");
        assertThat(lInfinity.doubleValue()).isCloseTo(0.3, within(1e-6));
        RestAssured.get("/reports?dataset={d}", name).then().statusCode(200).body("total", equalTo(2));
        RestAssured.get("/reports/{d}/{v}", slug, "0".repeat(64)).then().statusCode(404).contentType("application/problem+json");
        RestAssured.get("/reports?size=0").then().statusCode(422).contentType("application/problem+json");
        RestAssured.get("/reports?page=x").then().statusCode(400).contentType("application/problem+json"); // not a number: said so, not 404
    }

    @Test
    void shouldScoreABranchVersionsDriftAgainstWhatItsPullRequestWouldChange() throws Exception {
        String name = DatasetServiceApi.uniqueName("Branch drift");
        String slug = DatasetServiceApi.create(name, Map.of("drift", List.of(Map.of("field", "sentiment", "maxLInfinity", 0.5))));
        List<Map<String, Object>> first = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            first.add(DatasetServiceApi.record("r" + i, "text " + i, i < 50 ? "positive" : "negative"));
        }
        String mainHead = DatasetServiceApi.commit(name, first, null);
        DatasetServiceApi.request().contentType("application/json").body(Map.of("name", "relabel", "from", "main"))
                .post("/datasets/{d}/branches", slug).then().statusCode(201);
        List<Map<String, Object>> shifted = new ArrayList<>();
        for (int i = 50; i < 80; i++) {
            shifted.add(DatasetServiceApi.record("r" + i, "text " + i, "positive")); // 80 positive, 20 negative on the branch
        }
        commitOnBranch(slug, "relabel", shifted);
        // the second branch commit leaves the distribution as it was: against its parent nothing drifted, against main 0.3
        String head = commitOnBranch(slug, "relabel", List.of(DatasetServiceApi.record("r0", "text zero, reworded", "positive")));

        DatasetValidatedEvent validated = topics.read(Topics.DATASET_VALIDATED, 3, r -> name.equals(r.key()), Duration.ofSeconds(60)).stream()
                .map(r -> read(r.value())).filter(e -> e.dataVersion().equals(head)).findFirst().orElseThrow();
        assertThat(validated.branch()).isEqualTo("relabel");
        assertThat(validated.drift()).singleElement().satisfies(drift -> assertThat(drift.lInfinity()).isCloseTo(0.3, within(1e-12)));
        RestAssured.get("/reports/{d}/{v}", slug, head).then().statusCode(200).body("branch", equalTo("relabel"))
                .body("driftBase", equalTo(mainHead));
        RestAssured.get("/reports/{d}/{v}", slug, mainHead).then().statusCode(200).body("branch", equalTo("main"))
                .body("driftBase", org.hamcrest.Matchers.nullValue());

        // a branch with an open pull request into "relabel": drift against the head of "relabel", which it would change
        DatasetServiceApi.request().contentType("application/json").body(Map.of("name", "relabel-more", "from", "relabel"))
                .post("/datasets/{d}/branches", slug).then().statusCode(201);
        DatasetServiceApi.request().contentType("application/json").body(Map.of("from", "relabel-more", "into", "relabel", "title", "More"))
                .post("/datasets/{d}/pulls", slug).then().statusCode(201);
        commitOnBranch(slug, "relabel-more", List.of(DatasetServiceApi.record("r1", "text one, reworded", "positive")));
        String more = commitOnBranch(slug, "relabel-more", List.of(DatasetServiceApi.record("r2", "text two, reworded", "positive")));
        DatasetValidatedEvent onMore = topics.read(Topics.DATASET_VALIDATED, 5, r -> name.equals(r.key()), Duration.ofSeconds(60)).stream()
                .map(r -> read(r.value())).filter(e -> e.dataVersion().equals(more)).findFirst().orElseThrow();
        assertThat(onMore.drift()).singleElement().satisfies(drift -> assertThat(drift.lInfinity()).isCloseTo(0.0, within(1e-12)));
        RestAssured.get("/reports/{d}/{v}", slug, more).then().statusCode(200).body("driftBase", equalTo(head)) // not its parent
                .body("parent", org.hamcrest.Matchers.not(equalTo(head)));
    }

    private static String commitOnBranch(String slug, String branch, List<Map<String, Object>> records) {
        DatasetServiceApi.request().contentType("application/json").body(records).post("/datasets/{d}/branches/" + branch + "/records", slug)
                .then().statusCode(200);
        return DatasetServiceApi.request().contentType("application/json").body(Map.of("message", "on " + branch))
                .post("/datasets/{d}/branches/" + branch + "/commits", slug).then().statusCode(201).extract().path("hash");
    }

    private static DatasetValidatedEvent read(byte[] value) {
        try {
            return EventJson.mapper().readValue(value, DatasetValidatedEvent.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void shouldAnnounceAFailedContractWithTheOffendingRecords() throws Exception {
        String name = DatasetServiceApi.uniqueName("Failing");
        DatasetServiceApi.create(name, Map.of("fields", Map.of("sentiment", Map.of("allowedValues", List.of("positive", "negative")))));
        String version = DatasetServiceApi.commit(name, List.of(DatasetServiceApi.record("a", "fine", "positive"),
                DatasetServiceApi.record("b", "odd", "angry"), DatasetServiceApi.record("c", "odd too", "confused")), null);

        ConsumerRecord<String, byte[]> record = topics.read(Topics.DATASET_VALIDATION_FAILED, 1, r -> name.equals(r.key()),
                Duration.ofSeconds(60)).get(0);
        DatasetValidationFailedEvent failed = EventJson.mapper().readValue(record.value(), DatasetValidationFailedEvent.class);
        assertThat(failed.dataVersion()).isEqualTo(version);
        assertThat(failed.failedChecks()).singleElement().satisfies(check -> {
            assertThat(check.check()).isEqualTo("allowedValues");
            assertThat(check.field()).isEqualTo("sentiment");
            assertThat(check.offendingKeys()).containsExactly("b", "c");
            assertThat(check.value().asInt()).isEqualTo(2);
        });
        assertThat(failed.drift()).isEmpty();
    }

    @Test
    void shouldMakeNoSecondReportForARedeliveredEventButANewOneOnRerun() throws Exception {
        Reports.Validated first = reports.oneValidatedVersion("Redelivered");

        DatasetCommittedEvent commit = committedEvent(first.name(), first.version());
        topics.publish(Topics.DATASET_COMMITTED, commit);
        String next = DatasetServiceApi.commit(first.name(), List.of(DatasetServiceApi.record("b", "y", "negative")), null);
        await().atMost(Duration.ofSeconds(60)).until(() -> reports.of(first.slug(), next).size() == 1); // consumed in order: the duplicate is behind us
        assertThat(reports.of(first.slug(), first.version())).hasSize(1);
        assertThat(topics.read(Topics.DATASET_VALIDATED, 2, r -> first.name().equals(r.key()), Duration.ofSeconds(30))).hasSize(2);

        RestAssured.post("/reports/{d}/{v}/rerun", first.slug(), first.version()).then().statusCode(201).body("passed", equalTo(true));
        assertThat(reports.of(first.slug(), first.version())).hasSize(2);
        RestAssured.post("/reports/{d}/{v}/rerun", "No Such Dataset", first.version()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void shouldCheckByTheVersionsOwnViewWhenTheEventAnnouncedItWrong() throws Exception {
        Reports.Validated first = reports.oneValidatedVersion("Misannounced");
        DatasetCommittedEvent commit = committedEvent(first.name(), first.version());
        String realDataHash = commit.dataHash();

        // the same version announced anew with a count and data hash its records do not have
        topics.publish(Topics.DATASET_COMMITTED, new DatasetCommittedEvent(java.util.UUID.randomUUID(), commit.occurredAt(), commit.dataset(),
                commit.datasetSlug(), commit.dataVersion(), null, commit.producer(), "0".repeat(64), commit.parent(), commit.message(),
                commit.author(), commit.committedAt(), commit.recordCount() + 5, commit.added(), commit.updated(), commit.deleted(),
                commit.pipelineRevision(), commit.codeCommit(), null, commit.schemaVersion(), commit.treeFormat()));

        await().atMost(Duration.ofSeconds(60)).until(() -> reports.of(first.slug(), first.version()).size() == 2);
        List<DatasetValidatedEvent> validated = topics.read(Topics.DATASET_VALIDATED, 2, r -> first.name().equals(r.key()), Duration.ofSeconds(30))
                .stream().map(r -> {
                    try {
                        return EventJson.mapper().readValue(r.value(), DatasetValidatedEvent.class);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
        assertThat(validated).extracting(DatasetValidatedEvent::dataHash).containsOnly(realDataHash);
        assertThat(validated).extracting(DatasetValidatedEvent::recordCount).containsOnly(1L);
    }

    private DatasetCommittedEvent committedEvent(String dataset, String version) {
        return topics.read(Topics.DATASET_COMMITTED, 1, r -> dataset.equals(r.key()) && read(r).dataVersion().equals(version),
                Duration.ofSeconds(30)).stream().map(ValidationPipelineTest::read).findFirst().orElseThrow();
    }

    private static DatasetCommittedEvent read(ConsumerRecord<String, byte[]> record) {
        try {
            return EventJson.mapper().readValue(record.value(), DatasetCommittedEvent.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
