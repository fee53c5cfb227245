package io.dataline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataline.events.Topics;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A suite's worker waits on a version's {@link PipelineWatcher.Timeline} until the watcher's thread records an event on
 * one of the topics it waits for: it sleeps until then (no polling), and still sees a deadline pass and the watcher fail.
 */
class PipelineWatcherTimelineTest {

    private static final long LONG = TimeUnit.MINUTES.toNanos(5);
    /** A waiter of such a timeline looks again only when woken (within these tests), so a missed wake-up fails them. */
    private static final long NEVER_ON_ITS_OWN = TimeUnit.MINUTES.toNanos(10);

    @Test
    void returnsAtOnceForAnEventThatArrivedBefore() throws Exception {
        PipelineWatcher.Timeline timeline = new PipelineWatcher.Timeline(NEVER_ON_ITS_OWN);
        timeline.add(Topics.MODEL_PROMOTED, 42);

        assertThat(timeline.await(PipelineWatcher.TERMINAL, System.nanoTime() + LONG, () -> null)).isTrue();
    }

    @Test
    void aWaitingThreadSleepsUntilAnEventOnOneOfItsTopicsWakesIt() throws Exception {
        PipelineWatcher.Timeline timeline = new PipelineWatcher.Timeline(NEVER_ON_ITS_OWN);
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return timeline.await(PipelineWatcher.TERMINAL, System.nanoTime() + LONG, () -> null);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread waiter = waitingThread(timeline);

        timeline.add(Topics.DATASET_COMMITTED, 1); // not one it waits for: it goes back to sleep
        assertThat(waited).isNotDone();
        awaitState(waiter, Thread.State.TIMED_WAITING);
        timeline.add(Topics.MODEL_PROMOTED, 2);

        assertThat(waited.get(1, TimeUnit.MINUTES)).isTrue();
        assertThat(timeline.first(Topics.MODEL_PROMOTED)).isEqualTo(2L);
    }

    @Test
    void answersFalseOnceTheDeadlinePassedWithoutTheEvent() throws Exception {
        PipelineWatcher.Timeline timeline = new PipelineWatcher.Timeline(NEVER_ON_ITS_OWN);
        timeline.add(Topics.DATASET_COMMITTED, 1);

        assertThat(timeline.await(PipelineWatcher.TERMINAL, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20), () -> null)).isFalse();
        assertThat(timeline.await(PipelineWatcher.TERMINAL, System.nanoTime() - 1, () -> null)).isFalse();
    }

    @Test
    void aWatcherThatFailedWakesItsWaitersWithItsFailure() throws Exception {
        PipelineWatcher.Timeline timeline = new PipelineWatcher.Timeline(NEVER_ON_ITS_OWN);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return timeline.await(PipelineWatcher.TERMINAL, System.nanoTime() + LONG, failure::get);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        awaitState(waitingThread(timeline), Thread.State.TIMED_WAITING);

        failure.set(new IllegalStateException("broker gone"));
        timeline.wake();

        assertThatThrownBy(() -> waited.get(1, TimeUnit.MINUTES)).hasRootCauseMessage("broker gone");
        assertThatThrownBy(() -> timeline.await(List.of(Topics.MODEL_PROMOTED), System.nanoTime() + LONG, failure::get))
                .hasMessage("broker gone");
    }

    /** The pool thread that entered the timeline's monitor to wait on it. */
    private static Thread waitingThread(PipelineWatcher.Timeline timeline) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < until) {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread != Thread.currentThread() && thread.getState() == Thread.State.TIMED_WAITING && holdsWaitOn(thread)) {
                    return thread;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no thread waits on the timeline");
    }

    private static boolean holdsWaitOn(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().equals(PipelineWatcher.Timeline.class.getName()) && frame.getMethodName().equals("await")) {
                return true;
            }
        }
        return false;
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (thread.getState() != state || !holdsWaitOn(thread)) {
            if (System.nanoTime() > until) {
                throw new AssertionError(thread + " is " + thread.getState());
            }
            Thread.sleep(5);
        }
    }
}
