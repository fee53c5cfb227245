package io.dataline.training.service;

import io.dataline.training.config.TrainingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Semaphore;

/**
 * The records the runs executing at once in this JVM may hold in memory between them: {@code
 * dataline.runs.max-records-in-memory}, which is also the most one split of one run may hold. Several workers run small
 * versions side by side; a run whose records would not fit beside the others' waits until they end (first come, first
 * served: a large run is not overtaken for ever by small ones), so more workers never mean more heap than one run at
 * the limit needs.
 */
@ApplicationScoped
public class RecordsInMemory {

    private final int budget;
    private final Semaphore permits;

    @Inject
    RecordsInMemory(TrainingConfig config) {
        this(config.runs().maxRecordsInMemory());
    }

    RecordsInMemory(long budget) {
        this.budget = (int) Math.max(1, Math.min(budget, Integer.MAX_VALUE));
        this.permits = new Semaphore(this.budget, true);
    }

    /** Held until closed. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits until {@code records} fit beside what the other runs hold (all of the budget for more than it: such a run
     * runs alone, and its own splits are still refused past the limit when it reads them), then holds them.
     */
    public Held hold(long records) throws InterruptedException {
        int taken = (int) Math.max(1, Math.min(records, budget));
        permits.acquire(taken);
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                permits.release(taken);
            }
        };
    }

    /** Records held by runs now (for tests and diagnostics). */
    long held() {
        return budget - permits.availablePermits();
    }

    /** Runs waiting for room (for tests and diagnostics). */
    int waiting() {
        return permits.getQueueLength();
    }
}
