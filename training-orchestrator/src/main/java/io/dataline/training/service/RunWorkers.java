package io.dataline.training.service;

import io.dataline.training.config.TrainingConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The workers that execute queued runs ({@code dataline.runs.workers} threads, one per processor unless set; their
 * runs' records in memory share one budget, {@link RecordsInMemory}). Each claims the oldest queued run that may start
 * (runs of one model start one at a time, in order: {@code TrainingRunRepository.claimNext}), executes it,
 * and otherwise sleeps until a run is queued or the poll interval passes; the first worker also recovers orphaned
 * runs, at most once per poll interval. On shutdown a running attempt is interrupted and its run queued again.
 */
@ApplicationScoped
public class RunWorkers {

    private static final Logger LOG = Logger.getLogger(RunWorkers.class);

    @Inject
    RunService service;

    @Inject
    RunExecution execution;

    @Inject
    TrainingConfig config;
    private final Semaphore wakeups = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile int workers;

    void start(@Observes StartupEvent event) {
        requireHeartbeatsWithinStaleAfter(config.runs().heartbeat(), config.runs().staleAfter());
        running = true;
        workers = count(config.runs().workers());
        for (int i = 0; i < workers; i++) {
            boolean recovers = i == 0;
            Thread thread = new Thread(() -> loop(recovers), "training-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    void queued(@Observes(during = TransactionPhase.AFTER_SUCCESS) RunQueued event) {
        wakeups.release(workers);
    }

    /** {@code dataline.runs.workers}, else one per processor this JVM may use; at least one. */
    static int count(java.util.OptionalInt configured) {
        int count = configured.orElse(Runtime.getRuntime().availableProcessors());
        if (count < 1) {
            throw new IllegalStateException("dataline.runs.workers must be at least 1, not " + count);
        }
        return count;
    }

    /**
     * Another instance takes a run for orphaned once its heartbeat is older than {@code stale-after}: with fewer than
     * three heartbeats in it, a beat a little late (a GC pause, a busy database) is taken for a dead orchestrator, and a
     * live run is queued again or, on its last attempt, failed.
     */
    static void requireHeartbeatsWithinStaleAfter(java.time.Duration heartbeat, java.time.Duration staleAfter) {
        if (heartbeat.isNegative() || heartbeat.isZero() || staleAfter.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalStateException("dataline.runs.stale-after (" + staleAfter.toMillis() + " ms) must be at least three times "
                    + "dataline.runs.heartbeat (" + heartbeat.toMillis() + " ms), which must be positive: a run whose heartbeat is a little "
                    + "late would be taken for orphaned while it runs");
        }
    }

    private void loop(boolean recovers) {
        long nextRecovery = System.nanoTime();
        while (running) {
            try {
                // Orphans are runs whose heartbeat is older than dataline.runs.stale-after: looking once per poll interval
                // finds them as soon, and a run woken by its event is claimed without that query in front of it.
                if (recovers && System.nanoTime() - nextRecovery >= 0) {
                    nextRecovery = System.nanoTime() + config.runs().pollInterval().toNanos();
                    execution.recoverOrphans();
                }
                Optional<RunService.Claimed> run = service.claim();
                if (run.isPresent()) {
                    execution.execute(run.get());
                    continue;
                }
                wakeups.tryAcquire(config.runs().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("training worker round failed (retrying): %s", e.getMessage());
                try {
                    Thread.sleep(config.runs().pollInterval().toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }
}
