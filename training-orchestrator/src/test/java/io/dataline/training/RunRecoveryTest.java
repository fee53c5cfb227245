package io.dataline.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.models.TrainingSpec;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.TopicClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A run whose orchestrator died mid-run (RUNNING, heartbeat gone stale: what a kill -9 leaves in the database) is
 * queued again and finishes with exactly one model version; on its last attempt it is failed explicitly with
 * {@code training.run-failed} instead. Either way nothing stays RUNNING.
 */
@QuarkusTest
class RunRecoveryTest {

    @Inject
    TrainingRunRepository runs;

    @Inject
    TopicClient topics;

    private TrainingRun orphan(String name, int attempts) {
        String slug = Pipeline.createFeedback(name, Pipeline.TEXT_SPEC);
        String version = Pipeline.commit(name, Pipeline.feedback(100, 9));
        TrainingRun run = new TrainingRun();
        run.id = UUID.randomUUID();
        run.dataset = name;
        run.datasetSlug = slug;
        run.dataVersion = version;
        run.pipelineRevision = Pipeline.pipelineRevision(slug, version);
        run.model = slug;
        run.trigger = TrainingRun.TRIGGER_EVENT;
        run.causeEventId = UUID.randomUUID();
        run.trainer = "builtin";
        run.specJson = TrainingSpec.parse(io.dataline.events.EventJson.mapper().valueToTree(Pipeline.TEXT_SPEC)).toJson().toString();
        run.state = RunState.RUNNING;
        run.attempts = attempts;
        run.createdAt = Instant.now().minus(2, ChronoUnit.MINUTES);
        run.startedAt = run.createdAt;
        run.heartbeatAt = Instant.now().minus(1, ChronoUnit.MINUTES);
        QuarkusTransaction.requiringNew().run(() -> runs.persist(run));
        return run;
    }

    @Test
    void shouldFinishARunWhoseOrchestratorDiedWithExactlyOneModelVersion() {
        String name = DatasetServiceApi.uniqueName("Orphaned");
        TrainingRun run = orphan(name, 1);

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);

        assertThat(registered.runId()).isEqualTo(run.id.toString());
        given().get("/runs/{id}", run.id).then().body("state", equalTo("SUCCEEDED")).body("attempts", equalTo(2)).body("modelVersion", equalTo(1));
        given().get("/models/{m}/versions", run.model).then().body("size()", equalTo(1));
    }

    @Test
    void shouldFailARunWhoseOrchestratorDiedOnItsLastAttempt() {
        String name = DatasetServiceApi.uniqueName("Exhausted");
        TrainingRun run = orphan(name, 2);

        TrainingRunFailedEvent failed = Pipeline.failed(topics, name, 1).get(0);

        assertThat(failed.runId()).isEqualTo(run.id.toString());
        assertThat(failed.reason()).isEqualTo("the orchestrator stopped during attempt 2 (after 2 attempts)");
        given().get("/runs/{id}", run.id).then().body("state", equalTo("FAILED"));
    }
}
