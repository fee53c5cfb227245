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

/**
 * throughput: 20 datasets, each committing again as soon as its previous commit's pipeline ended, for {@code size}
 * seconds after a warm-up of the same load (as long, at most {@value #MAX_WARM_UP_SECONDS} s, not counted: a freshly
 * started stack spends its first minutes compiling, and on 2 cores that halves what it sustains): the
 * commits per second the whole pipeline sustains, and proof that nothing was lost or doubled — every commit, warm-up
 * included, reached exactly one terminal event, each topic carried each of its events exactly once, and a webhook on
 * every dataset (a {@link WebhookReceiver} in this process) received each of those events exactly once.
 */
final class Throughput extends Suite {

    static final int DATASETS = 20;
    static final long MAX_WARM_UP_SECONDS = 120;
    static final int MIN_COMMITS_PER_SECOND = 20;

    Throughput() {
        super("throughput", "seconds of sustained load across " + DATASETS + " datasets", 120, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        Duration duration = Duration.ofSeconds(size);
        Duration warmUp = Duration.ofSeconds(Math.min(MAX_WARM_UP_SECONDS, size));
        report.json().put("datasets", DATASETS).put("seconds", size).put("warmUpSeconds", warmUp.toSeconds())
                .putPOJO("pipeline", Records.tinyPipeline());
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
            context.progress("%d datasets committing for %d s after a warm-up of %d s...", DATASETS, size, warmUp.toSeconds());
            ExecutorService pool = Executors.newFixedThreadPool(DATASETS);
            long started = System.nanoTime() + warmUp.toNanos();
            long until = started + duration.toNanos();
            List<Future<Integer>> workers = new ArrayList<>();
            for (String dataset : datasets) {
                workers.add(pool.submit(() -> {
                    int number = 1;
                    while (System.nanoTime() < until) {
                        Api.Commit commit = PipelineLatency.commitOnce(context.api(), dataset, number++);
                        boolean measured = commit.startedNanos() >= started;
                        (measured ? committed : warmUpCommits).add(commit.hash());
                        if (!watcher.awaitTerminal(commit.hash(), PipelineLatency.PIPELINE_TIMEOUT)) {
                            throw new IllegalStateException(dataset + ": " + commit.hash() + " did not finish within "
                                    + PipelineLatency.PIPELINE_TIMEOUT);
                        }
                        PipelineWatcher.Timeline timeline = watcher.timeline(commit.hash());
                        if (measured) {
                            latencies.add(Stats.millis(commit.startedNanos(), timeline.first(timeline.terminal())));
                        }
                    }
                    return number - 1;
                }));
            }
            pool.shutdown();
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
            report.json().put("warmUpCommits", warmUpCommits.size()).putPOJO("terminalTopics", terminals).putPOJO("errors", errors);
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
                    + warmUp.toSeconds() + " s warm-up before it ran " + warmUpCommits.size() + " commits, not counted");
        }
    }
}
