package io.dataline.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.DatasetServiceProcess;
import io.dataline.testsupport.TopicClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * A run whose orchestrator died mid-run (RUNNING, heartbeat gone stale: what a kill -9 leaves in the database) is
 * queued again and finishes with exactly one model version; on its last attempt it is failed explicitly with
 * {@code training.run-failed} instead. Either way nothing stays RUNNING. A dataset-service outage during an attempt
 * is waited out (even on the last attempt) instead of failing the run. A run this instance is executing is never taken
 * for orphaned, however late its heartbeat.
 */
@QuarkusTest
class RunRecoveryTest {

    @Inject
    TrainingRunRepository runs;

    @Inject
    TopicClient topics;

    @Inject
    io.dataline.training.service.RunExecution execution;

    private TrainingRun orphan(String name, int attempts) {
        TrainingRun run = unsaved(name, attempts);
        QuarkusTransaction.requiringNew().run(() -> runs.persist(run));
        return run;
    }

    /** The dataset and its version exist (dataset-service must be up); the RUNNING run with a stale heartbeat is not saved yet. */
    private TrainingRun unsaved(String name, int attempts) {
        String slug = Pipeline.createFeedback(name, Pipeline.TEXT_SPEC);
        String version = Pipeline.commit(name, Pipeline.feedback(100, 9));
        TrainingRun run = Pipeline.textRun(name, slug, version, TrainingRun.TRIGGER_EVENT, RunState.RUNNING, Instant.now().minus(2, ChronoUnit.MINUTES));
        run.attempts = attempts;
        run.startedAt = run.createdAt;
        run.heartbeatAt = Instant.now().minus(1, ChronoUnit.MINUTES);
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
    void shouldWaitOutADatasetServiceOutageOnItsLastAttemptInsteadOfFailing() throws Exception {
        String name = DatasetServiceApi.uniqueName("Outage");
        TrainingRun run = unsaved(name, 1);
        DatasetServiceProcess.instance().stop();
        try {
            QuarkusTransaction.requiringNew().run(() -> runs.persist(run)); // recovered into attempt 2 of 2, which cannot
            // read the version while dataset-service is down
            await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                    .call(() -> runs.findById(run.id).attempts) == 2);
            Thread.sleep(3_000); // several reads fail meanwhile
            assertThat(QuarkusTransaction.requiringNew().call(() -> runs.findById(run.id).state)).isEqualTo(RunState.RUNNING);
        } finally {
            DatasetServiceProcess.instance().start();
        }

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);

        assertThat(registered.runId()).isEqualTo(run.id.toString());
        given().get("/runs/{id}", run.id).then().body("state", equalTo("SUCCEEDED")).body("attempts", equalTo(2));
    }

    /**
     * A heartbeat can be late in a live orchestrator (a GC pause, a starved thread, a busy database); another instance
     * cannot tell, but this one knows it is still executing the attempt and must not queue it again (or fail it, on its
     * last attempt). The run waits out a dataset-service outage meanwhile, so it stays RUNNING as long as the test needs.
     */
    @Test
    void shouldNotTakeARunItIsExecutingForOrphanedWhenItsHeartbeatIsLate() {
        String name = DatasetServiceApi.uniqueName("Late heartbeat");
        TrainingRun run = unsaved(name, 0);
        run.state = RunState.QUEUED;
        run.startedAt = null;
        run.heartbeatAt = null;
        DatasetServiceProcess.instance().stop();
        try {
            QuarkusTransaction.requiringNew().run(() -> runs.persist(run));
            await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew()
                    .call(() -> runs.findById(run.id).attempts) == 1);

            QuarkusTransaction.requiringNew().run(() -> runs.update("heartbeatAt = ?1 where id = ?2", Instant.now().minus(1, ChronoUnit.MINUTES), run.id));
            assertThat(execution.recoverOrphans()).as("runs recovered").isZero();

            TrainingRun after = QuarkusTransaction.requiringNew().call(() -> runs.findById(run.id));
            assertThat(after.state).isEqualTo(RunState.RUNNING);
            assertThat(after.attempts).isEqualTo(1);
        } finally {
            DatasetServiceProcess.instance().start();
        }

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);

        assertThat(registered.runId()).isEqualTo(run.id.toString());
        given().get("/runs/{id}", run.id).then().body("state", equalTo("SUCCEEDED")).body("attempts", equalTo(1));
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

    /**
     * The sweep runs every poll interval against a table holding every run ever made: its query must be answerable from
     * the RUNNING runs alone, in the generic plan a prepared statement ends up with, not only with its first values.
     */
    @Test
    void shouldFindOrphansThroughTheIndexOfRunningRunsEvenInAGenericPlan() {
        String plan = QueryPlans.generic(runs, TrainingRunRepository.ORPHANED, "timestamptz", "now()");

        assertThat(plan).contains("training_run_running").doesNotContain("Seq Scan");
    }
}
