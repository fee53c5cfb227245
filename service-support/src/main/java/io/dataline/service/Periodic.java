package io.dataline.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A background task run every so often on a daemon thread of its own: a failed round is logged (once per round, with
 * when the next one comes) and the schedule goes on; {@link #stop} ends it (at shutdown).
 */
public final class Periodic {

    private final ScheduledExecutorService timer;

    private Periodic(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Runs {@code task} after {@code first}, then every {@code every}; {@code what} names it in the log. */
    public static Periodic start(String what, Duration first, Duration every, Runnable task, Logger log) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, what);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warnf("%s failed, trying again in %s: %s", what, every, e.getMessage());
            }
        }, first.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return new Periodic(timer);
    }

    public void stop() {
        timer.shutdownNow();
    }
}
