package io.dataline.bench;

import io.dataline.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * throughput: 20 datasets, each committing again as soon as its previous commit's pipeline ended, for {@code size}
 * seconds after a warm-up of the same load (not counted; see {@link #warmUp}): the commits per second the whole
 * pipeline sustains, and proof that nothing was lost or doubled — every commit, warm-up included, reached exactly one
 * terminal event, each topic carried each of its events exactly once, and a webhook on every dataset (a
 * {@link WebhookReceiver} in this process) received each of those events exactly once.
 */
final class Throughput extends Suite {

    static final int DATASETS = 20;
    /** The warm-up lasts at least this (or {@code size} if shorter)... */
    static final long MIN_WARM_UP_SECONDS = 120;
    /** ...and at most this (or 8 times the least, if shorter). */
    static final long MAX_WARM_UP_SECONDS = 900;
    /** Warm-up rounds are this long (or half the least warm-up, if shorter). */
    static final long WARM_UP_ROUND_SECONDS = 60;
    /** Two warm-up rounds in a row, each at a rate not this fraction above the best round before it, end the warm-up. */
    static final double WARM_UP_SETTLED = 0.05;
    static final int MIN_COMMITS_PER_SECOND = 20;

    Throughput() {
        super("throughput", "seconds of sustained load across " + DATASETS + " datasets", 120, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        Duration duration = Duration.ofSeconds(size);
        long leastWarmUp = Math.max(1, Math.min(MIN_WARM_UP_SECONDS, size));
        long mostWarmUp = Math.min(MAX_WARM_UP_SECONDS, 8 * leastWarmUp);
        report.json().put("datasets", DATASETS).put("seconds", size).put("warmUpAtLeastSeconds", leastWarmUp)
                .put("warmUpAtMostSeconds", mostWarmUp).putPOJO("pipeline", Records.tinyPipeline());
        List<String> committed = Collections.synchronizedList(new ArrayList<>());
        List<String> warmUpCommits = Collections.synchronizedList(new ArrayList<>());
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        try (PipelineWatcher watcher = new PipelineWatcher(context.stack().kafkaBootstrap()); WebhookReceiver hooks = new WebhookReceiver()) {
            List<String> datasets = new ArrayList<>();
            for (int d = 0; d < DATASETS; d++) {
                String name = "bench-throughput-" + d + "-" + UUID.randomUUID().toString().substring(0, 8);
                context.api().createDataset(name, Records.tinyPipeline());
                byte[] webhook = Api.JSON.writeValueAsBytes(Map.of("url", hooks.url(name), "events", WebhookReceiver.EVENTS));
                context.api().timed("POST", "/datasets/" + Api.segment(name) + "/webhooks", webhook, "application/json", 201);
                datasets.add(name);
            }
            context.progress("%d datasets committing for %d s after a warm-up of %d to %d s, until their rate settles...", DATASETS,
                    size, leastWarmUp, mostWarmUp);
            ExecutorService pool = Executors.newFixedThreadPool(DATASETS);
            long warmUpStarted = System.nanoTime();
            Window window = new Window();
            List<Future<Integer>> workers = new ArrayList<>();
            for (String dataset : datasets) {
                workers.add(pool.submit(() -> {
                    int number = 1;
                    while (System.nanoTime() < window.until) {
                        Api.Commit commit = PipelineLatency.commitOnce(context.api(), dataset, number++);
                        boolean measured = commit.startedNanos() >= window.started;
                        (measured ? committed : warmUpCommits).add(commit.hash());
                        if (!watcher.awaitTerminal(commit.hash(), PipelineLatency.PIPELINE_TIMEOUT)) {
                            throw new IllegalStateException(dataset + ": " + commit.hash() + " did not finish within "
                                    + PipelineLatency.PIPELINE_TIMEOUT);
                        }
                        window.finished.incrementAndGet();
                        PipelineWatcher.Timeline timeline = watcher.timeline(commit.hash());
                        if (measured) {
                            latencies.add(Stats.millis(commit.startedNanos(), timeline.first(timeline.terminal())));
                        }
                    }
                    return number - 1;
                }));
            }
            pool.shutdown();
            long started = warmUp(context, report, window, workers, warmUpStarted, leastWarmUp, mostWarmUp);
            window.until = started + duration.toNanos();
            List<String> errors = new ArrayList<>();
            for (Future<Integer> worker : workers) {
                try {
                    worker.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    errors.add(e.getCause().getMessage());
                }
            }
            long ended = System.nanoTime();
            Thread.sleep(2000); // anything duplicated would arrive now

            Map<String, Integer> terminals = new TreeMap<>();
            int lost = 0;
            int doubled = 0;
            List<String> all = new ArrayList<>(warmUpCommits);
            all.addAll(committed);
            java.util.Set<String> expectedDeliveries = new java.util.HashSet<>();
            for (String version : all) {
                PipelineWatcher.Timeline timeline = watcher.timeline(version);
                for (String topic : PipelineWatcher.TOPICS) {
                    if (timeline.count(topic) > 0 && WebhookReceiver.event(topic) != null) {
                        expectedDeliveries.add(version + " " + WebhookReceiver.event(topic));
                    }
                }
                if (timeline.terminal() == null) {
                    lost++;
                    continue;
                }
                terminals.merge(timeline.terminal(), 1, Integer::sum);
                boolean once = timeline.terminalCount() == 1 && timeline.count(Topics.DATASET_COMMITTED) == 1
                        && timeline.count(Topics.DATASET_VALIDATED) <= 1 && timeline.count(Topics.MODEL_REGISTERED) <= 1;
                if (!once) {
                    doubled++;
                }
            }
            hooks.await(expectedDeliveries, Duration.ofSeconds(60)); // the senders work off their queue after the pipeline
            Thread.sleep(1000); // a repeated delivery would arrive now
            long hooksMissing = hooks.missing(expectedDeliveries);
            long hooksRepeated = hooks.repeated();
            double seconds = Stats.millis(started, ended) / 1000;
            Report.Table table = report.table("throughput", String.format("throughput: %d datasets, %.0f s", DATASETS, seconds),
                    "commits", "commits", "commits/s", "commitsPerSecond", "pipeline p50 ms", "p50", "pipeline p95 ms", "p95",
                    "lost", "lost", "duplicated", "duplicated", "webhook deliveries", "webhookDeliveries", "webhooks missing", "webhooksMissing",
                    "webhooks repeated", "webhooksRepeated", "webhook retries", "webhookRetries");
            table.row().put("commits", committed.size()).put("commitsPerSecond", committed.size() / seconds)
                    .put("p50", Stats.percentile(latencies, 50)).put("p95", Stats.percentile(latencies, 95)).put("lost", lost)
                    .put("duplicated", doubled).put("webhookDeliveries", hooks.received()).put("webhooksMissing", hooksMissing)
                    .put("webhooksRepeated", hooksRepeated).put("webhookRetries", hooks.retried());
            report.json().put("warmUpSeconds", Stats.millis(warmUpStarted, started) / 1000).put("warmUpCommits", warmUpCommits.size())
                    .putPOJO("terminalTopics", terminals).putPOJO("errors", errors);
            report.target("nothing lost: every commit reached exactly one terminal event", lost == 0 && doubled == 0 && errors.isEmpty(),
                    all.size() + " commits (" + warmUpCommits.size() + " in the warm-up), " + lost + " without a terminal event, " + doubled
                            + " with a duplicate, " + errors.size() + " worker errors; terminal topics " + terminals);
            double perSecond = committed.size() / seconds;
            report.target("at least " + MIN_COMMITS_PER_SECOND + " commits/s through the whole pipeline for 2 minutes, none lost or duplicated",
                    perSecond >= MIN_COMMITS_PER_SECOND && seconds >= 120 && lost == 0 && doubled == 0,
                    String.format(java.util.Locale.ROOT, "%.2f commits/s over %.0f s (%d commits; pipeline p50 %s ms), %d lost, %d duplicated",
                            perSecond, seconds, committed.size(), Stats.format(Stats.percentile(latencies, 50)), lost, doubled));
            // the suite injects no fault and the receiver answers at once: a delivery sent again (same X-Dataline-Delivery,
            // which receivers could drop) still means the sender misread an answer, as it once did
            report.target("every webhook event in exactly one delivery, sent once", hooksMissing == 0 && hooksRepeated == 0
                    && hooks.retried() == 0 && hooks.unreadable() == 0,
                    expectedDeliveries.size() + " events subscribed to (one webhook per dataset, " + WebhookReceiver.EVENTS + "), "
                            + hooks.received() + " requests received, " + hooksMissing + " never delivered, " + hooksRepeated
                            + " in more than one delivery, " + hooks.retried() + " deliveries sent again (same X-Dataline-Delivery), " + hooks.unreadable() + " unreadable");
            report.note(context.stack().replicas() + " replica(s) of each service, " + context.stack().partitions()
                    + " partition(s) per topic (--replicas N)");
            report.note("each dataset commits again once its previous commit's pipeline ended (" + DATASETS
                    + " pipelines in flight); commits/s counts commits that completed their pipeline in the window; the "
                    + Math.round(Stats.millis(warmUpStarted, started) / 1000) + " s warm-up before it ran " + warmUpCommits.size()
                    + " commits, not counted (table warm-up: in rounds, at least " + leastWarmUp + " s, until two rounds in a row were each no "
                    + "more than " + Math.round(WARM_UP_SETTLED * 100) + "% above the best round before them, at most " + mostWarmUp
                    + " s: a fresh stack takes minutes of this load to reach its rate, much of it compiling)");
        }
    }

    /** When measuring starts and ends (System.nanoTime), set once the warm-up settled; pipelines finished so far. */
    private static final class Window {
        volatile long started = Long.MAX_VALUE;
        volatile long until = Long.MAX_VALUE;
        final AtomicInteger finished = new AtomicInteger();
    }

    /**
     * Lets the load run until it is a running system's: in rounds, at least {@code least} seconds, then until two rounds
     * in a row each finished pipelines at a rate no more than {@value #WARM_UP_SETTLED} above the best round before it,
     * at most {@code most} seconds (or until a worker stopped). On 2 cores a fresh stack needs minutes of this load to
     * get there: the JVMs' JIT compiler threads took 41 % of their CPU in a fresh stack's first ~4 minutes of this load,
     * 25 % in the next 4 and 12 % in the 4 after; a fixed 120 s warm-up measured 7.8, 10.8 and 14.6 commits/s in those
     * three runs; and 30 s rounds ended warm-ups on a rate still rising ~6 % a minute (after one flat round at 9.0
     * commits/s before a measured 11.3; after two, at 14.1 before 16.2; BENCHMARKS.md). Each round's rate is kept in the
     * report. Returns when measuring starts (System.nanoTime).
     */
    private static long warmUp(Context context, Report report, Window window, List<Future<Integer>> workers, long warmUpStarted,
            long least, long most) throws InterruptedException {
        long round = Math.max(1, Math.min(WARM_UP_ROUND_SECONDS, least / 2));
        Report.Table rounds = report.table("warm-up", "warm-up rounds (not counted): pipelines finished per second",
                "seconds", "seconds", "commits/s", "commitsPerSecond");
        double best = Double.NaN;
        int flat = 0;
        boolean settled = false;
        long elapsed = 0;
        int finishedBefore = window.finished.get();
        while (elapsed < most && workers.stream().noneMatch(Future::isDone)) {
            long length = Math.min(round, most - elapsed);
            Thread.sleep(Math.max(0, (warmUpStarted + TimeUnit.SECONDS.toNanos(elapsed + length) - System.nanoTime())
                    / 1_000_000));
            int finished = window.finished.get();
            double rate = (finished - finishedBefore) / (double) length;
            rounds.row().put("seconds", elapsed + ".." + (elapsed + length)).put("commitsPerSecond", rate);
            elapsed += length;
            finishedBefore = finished;
            flat = !Double.isNaN(best) && rate <= best * (1 + WARM_UP_SETTLED) ? flat + 1 : 0;
            best = Double.isNaN(best) ? rate : Math.max(best, rate);
            if (elapsed >= least && flat >= 2) {
                settled = true;
                break;
            }
            context.progress("  warm-up %d s, round %.2f commits/s", elapsed, rate);
        }
        report.json().put("warmUpSettled", settled);
        if (!settled) {
            report.note("the warm-up ended before the rate settled (" + (elapsed >= most ? "its limit, " + most + " s" : "a worker stopped")
                    + "): the rate measured may still be rising");
        }
        long started = System.nanoTime();
        window.started = started;
        return started;
    }
}
