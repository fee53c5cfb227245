package io.dataline.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.testsupport.DatasetServiceApi;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs of one model execute one at a time, in the order they were queued, even with two workers (the test profile
 * runs two): a queued run does not start while a run of its model is RUNNING, nor while an earlier one is still QUEUED,
 * also when that earlier one is held by a claim that has not committed yet.
 */
@QuarkusTest
class RunOrderTest {

    @Inject
    TrainingRunRepository runs;

    @Test
    void shouldStartTheRunsOfOneModelOneAtATimeInTheOrderTheyWereQueued() throws Exception {
        String name = DatasetServiceApi.uniqueName("Ordered");
        String slug = Pipeline.createFeedback(name, Pipeline.TEXT_SPEC);
        String first = Pipeline.commit(name, Pipeline.feedback(100, 11));
        String second = Pipeline.commit(name, Pipeline.feedback(100, 12));
        Instant now = Instant.now();
        // what a worker of another replica is executing: RUNNING, its heartbeat fresh for the whole test
        TrainingRun executing = run(name, slug, first, RunState.RUNNING, now.minus(3, ChronoUnit.MINUTES));
        executing.attempts = 1;
        executing.startedAt = executing.createdAt;
        executing.heartbeatAt = now.plus(1, ChronoUnit.MINUTES);
        TrainingRun earlier = run(name, slug, first, RunState.QUEUED, now.minus(2, ChronoUnit.MINUTES));
        TrainingRun later = run(name, slug, second, RunState.QUEUED, now.minus(1, ChronoUnit.MINUTES));
        QuarkusTransaction.requiringNew().run(() -> {
            runs.persist(executing);
            runs.persist(earlier);
            runs.persist(later);
        });

        // while a run of the model is RUNNING, none of its queued runs may start
        assertThat(claimAndRollBack().filter(id -> id.equals(earlier.id) || id.equals(later.id))).isEmpty();

        // a claim in flight holds the earlier run (locked, not committed) when the running one ends
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread claiming = new Thread(() -> QuarkusTransaction.requiringNew().run(() -> {
            runs.getEntityManager().createNativeQuery("SELECT id FROM training_run WHERE id = ?1 FOR UPDATE")
                    .setParameter(1, earlier.id).getResultList();
            locked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }), "claim-in-flight");
        claiming.start();
        try {
            assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
            QuarkusTransaction.requiringNew().run(() -> {
                TrainingRun ended = runs.findById(executing.id);
                ended.state = RunState.SUCCEEDED;
                ended.finishedAt = Instant.now();
            });

            // the earlier run is skipped (locked), and the later one must not start beside it
            assertThat(claimAndRollBack().filter(id -> id.equals(earlier.id) || id.equals(later.id))).isEmpty();
        } finally {
            release.countDown();
            claiming.join(10_000);
        }

        // the workers execute both, the later only once the earlier has finished, and register them in that order
        await().atMost(Duration.ofSeconds(60)).until(() -> state(earlier.id) == RunState.SUCCEEDED && state(later.id) == RunState.SUCCEEDED);
        TrainingRun one = QuarkusTransaction.requiringNew().call(() -> runs.findById(earlier.id));
        TrainingRun two = QuarkusTransaction.requiringNew().call(() -> runs.findById(later.id));
        assertThat(two.startedAt).isAfterOrEqualTo(one.finishedAt);
        assertThat(one.modelVersion).isEqualTo(1);
        assertThat(two.modelVersion).isEqualTo(2);
    }

    /**
     * After an outage the queue can hold thousands of runs, most of them waiting for an earlier run of their model: the
     * claim asks each candidate about its model's earlier queued runs through an index, in the generic plan a prepared
     * statement ends up with too, never by reading the table.
     */
    @Test
    void shouldAskAboutEarlierRunsOfAModelThroughTheIndexOfQueuedRunsByModel() {
        String plan = QueryPlans.generic(runs, TrainingRunRepository.CLAIM_NEXT, "text", "'hash'");

        assertThat(plan).contains("training_run_queued_by_model").doesNotContain("Seq Scan");
    }

    /** What a worker's claim would take now; rolled back, so the workers are left to execute it. */
    private Optional<UUID> claimAndRollBack() {
        QuarkusTransaction.begin();
        try {
            return runs.claimNext("test-claim");
        } finally {
            QuarkusTransaction.rollback();
        }
    }

    private RunState state(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> runs.findById(id).state);
    }

    private static TrainingRun run(String name, String slug, String version, RunState state, Instant createdAt) {
        TrainingRun run = Pipeline.textRun(name, slug, version, TrainingRun.TRIGGER_MANUAL, state, createdAt);
        run.requestedBy = "run-order-test";
        return run;
    }
}
