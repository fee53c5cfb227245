package io.dataline.training.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs share one budget of records in memory: side by side while they fit, one after another when they do not. */
class RecordsInMemoryTest {

    private final ExecutorService workers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    @Test
    void shouldLetRunsThatFitHoldTheirRecordsSideBySide() throws Exception {
        RecordsInMemory memory = new RecordsInMemory(1_000);

        try (RecordsInMemory.Held first = memory.hold(400); RecordsInMemory.Held second = memory.hold(600)) {
            assertThat(memory.held()).isEqualTo(1_000);
        }
        assertThat(memory.held()).isZero();
    }

    @Test
    void shouldMakeARunThatDoesNotFitWaitUntilAnotherEnds() throws Exception {
        RecordsInMemory memory = new RecordsInMemory(1_000);
        RecordsInMemory.Held first = memory.hold(700);

        Future<RecordsInMemory.Held> second = workers.submit(() -> memory.hold(400));
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.waiting() == 1);
        assertThat(second).isNotDone();
        assertThat(memory.held()).isEqualTo(700);

        first.close();
        try (RecordsInMemory.Held held = second.get()) {
            assertThat(memory.held()).isEqualTo(400);
        }
    }

    @Test
    void shouldRunARunLargerThanTheBudgetAloneAndNotLetSmallRunsOvertakeAWaitingOne() throws Exception {
        RecordsInMemory memory = new RecordsInMemory(1_000);
        RecordsInMemory.Held small = memory.hold(100);

        Future<RecordsInMemory.Held> large = workers.submit(() -> memory.hold(5_000)); // the whole budget, once it is free
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.waiting() == 1);
        Future<RecordsInMemory.Held> later = workers.submit(() -> memory.hold(10)); // would fit, but comes after the large one
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.waiting() == 2);
        assertThat(large).isNotDone();
        assertThat(later).isNotDone();

        small.close();
        RecordsInMemory.Held alone = large.get();
        assertThat(memory.held()).isEqualTo(1_000);
        assertThat(later).isNotDone();
        alone.close();
        later.get().close();
        assertThat(memory.held()).isZero();
    }

    @Test
    void shouldReleaseOnceHoweverOftenItIsClosed() throws Exception {
        RecordsInMemory memory = new RecordsInMemory(1_000);
        RecordsInMemory.Held first = memory.hold(300);
        RecordsInMemory.Held second = memory.hold(300);

        first.close();
        first.close();

        assertThat(memory.held()).isEqualTo(300);
        second.close();
        assertThat(memory.held()).isZero();
    }

    @Test
    void shouldGiveUpWaitingWhenTheWorkerIsInterrupted() throws Exception {
        RecordsInMemory memory = new RecordsInMemory(1_000);
        RecordsInMemory.Held all = memory.hold(1_000);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                memory.hold(1).close();
                outcome.complete(null);
            } catch (InterruptedException e) {
                outcome.complete(e);
            }
        });
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> memory.waiting() == 1);

        worker.interrupt(); // the orchestrator stops: the run goes back to the queue without holding anything

        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        all.close();
        assertThat(memory.held()).isZero();
    }
}
