package io.dataline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.events.Topics;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * pipeline-latency: with a tiny training spec, after a warm-up ({@link #warmUp}), one dataset with a long history
 * (10 × size commits) to show latency does not grow with history; then {@code size} commits on a fresh dataset one
 * after another, each followed through commit → dataset.committed → dataset.validated → model.registered →
 * model.promoted as the topics carry them: p50 and p95 of each hop and of the whole. Reference in the same run: a
 * bare Kafka produce → consume round trip on the same broker.
 */
final class PipelineLatency extends Suite {

    static final Duration PIPELINE_TIMEOUT = Duration.ofMinutes(2);
    static final int DATASET_RECORDS = 200;
    static final int CHANGED_PER_COMMIT = 20;

    /** Hops in pipeline order: name, from topic (null = the commit request), to topic. */
    static final String[][] HOPS = {
        {"commit -> dataset.committed", null, Topics.DATASET_COMMITTED},
        {"dataset.committed -> dataset.validated", Topics.DATASET_COMMITTED, Topics.DATASET_VALIDATED},
        {"dataset.validated -> model.registered", Topics.DATASET_VALIDATED, Topics.MODEL_REGISTERED},
        {"model.registered -> model.promoted", Topics.MODEL_REGISTERED, Topics.MODEL_PROMOTED},
        {"whole: commit -> model.promoted", null, Topics.MODEL_PROMOTED},
    };
    /** Rows beside the hops: the trainer's own compute inside the registered hop, and the hop without it. */
    static final String TRAINER = "  of which the trainer's compute (its run log)";
    static final String ORCHESTRATION = "  registered hop without the trainer's compute";
    /** The warm-up's first rounds, at the least; its last, at the most (see {@link #warmUp}). */
    static final int WARM_UP_COMMITS = 300;
    static final int WARM_UP_MAX_COMMITS = 1_000;
    /** A warm-up round whose p50 is not this fraction below the best round before it ends the warm-up. */
    static final double WARM_UP_SETTLED = 0.05;
    static final double HOP_P50_MS = 25;
    static final double HOP_P95_MS = 100;
    static final double WHOLE_P50_MS = 120;

    PipelineLatency() {
        super("pipeline-latency", "commits measured (the history run first makes 10 x size commits on one dataset)", 100, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        Map<String, List<Double>> measured;
        int commits = (int) size;
        int history = commits * 10;
        report.json().put("commits", commits).put("historyCommits", history).putPOJO("pipeline", Records.tinyPipeline());
        try (PipelineWatcher watcher = new PipelineWatcher(context.stack().kafkaBootstrap())) {
            int warmUp = warmUp(context, watcher, commits, report);
            report.json().put("warmUpCommits", warmUp);

            context.progress("history: %d commits on one dataset, then %d measured...", history, commits);
            String longLived = dataset(context, "history");
            List<Double> early = sequence(context, watcher, longLived, commits, 1, null).get(HOPS[4][0]);
            sequence(context, watcher, longLived, Math.max(0, history - 2 * commits), commits + 1, "  history %d/" + history);
            List<Double> late = sequence(context, watcher, longLived, commits, history - commits + 1, null).get(HOPS[4][0]);
            Report.Table growth = report.table("history", "history: whole pipeline, ms, commit 1.." + commits + " vs commit "
                    + (history - commits + 1) + ".." + history + " of one dataset", "commits", "commits", "p50", "p50", "p95", "p95");
            growth.row().put("commits", "1.." + commits).put("p50", Stats.percentile(early, 50)).put("p95", Stats.percentile(early, 95));
            growth.row().put("commits", (history - commits + 1) + ".." + history).put("p50", Stats.percentile(late, 50))
                    .put("p95", Stats.percentile(late, 95));
            double earlyP50 = Stats.percentile(early, 50);
            double lateP50 = Stats.percentile(late, 50);
            report.target("latency does not grow with history", lateP50 <= Math.max(earlyP50 * 1.5, earlyP50 + 50),
                    String.format(java.util.Locale.ROOT, "p50 %s ms early vs %s ms after %d commits", Stats.format(earlyP50),
                            Stats.format(lateP50), history));

            // measured last: after the warm-up and the history, the services' JIT compilers have settled
            context.progress("%d commits on a fresh dataset, measured...", commits);
            String fresh = dataset(context, "fresh");
            Api orchestrator = new Api(context.stack().url("training-orchestrator"), context.stack().adminKey());
            Map<String, List<Double>> fromStart = sequence(context, watcher, fresh, commits, 1, null, orchestrator);
            Report.Table hops = report.table("hops", "pipeline-latency: " + commits + " commits, one at a time, ms",
                    "hop", "hop", "p50", "p50", "p95", "p95", "max", "max", "n", "n");
            fill(hops, fromStart);
            measured = fromStart;
        }

        context.progress("reference: bare Kafka produce -> consume round trip...");
        List<Double> kafka = kafkaRoundTrip(context.stack().kafkaBootstrap(), Math.max(commits, 20));
        Report.Table reference = report.table("reference", "reference: Kafka produce -> consume round trip on the same broker, ms",
                "what", "what", "p50", "p50", "p95", "p95", "n", "n");
        reference.row().put("what", "kafka round trip (acks=all)").put("p50", Stats.percentile(kafka, 50)).put("p95", Stats.percentile(kafka, 95))
                .put("n", kafka.size());
        targets(report, measured, Stats.percentile(kafka, 50));
        report.note("before the measured commits (on a fresh dataset), " + report.json().path("warmUpCommits").asInt() + " commits on another "
                + "dataset warmed the services up, in rounds, at least " + report.json().path("warmUpAtLeast").asInt() + ", until a round's whole p50 "
                + "was no longer " + Math.round(WARM_UP_SETTLED * 100) + "% below the best round before it (table warm-up), and then the "
                + history + " commits of the history ran: the figures are a running system's, once its JIT compilers have settled, not a "
                + "just-started one's (table warm-up shows those)");
        report.note("the round trip uses the producer settings of the services' outbox channel (acks=all, idempotence, linger.ms 0)");
        report.note("times are when this process saw each event on its topic (one clock); the services' own consumers see them at "
                + "the same moment or later. The dataset has " + DATASET_RECORDS + " records; each commit changes "
                + CHANGED_PER_COMMIT + " of them, so training data does not grow with history.");
        report.note("the trainer's compute is the time between its run log's \"training ...\" and \"trained\" lines (featurising, "
                + "fitting and writing the model); the rest of the registered hop is the orchestrator's: queueing the run, reading the "
                + "version, the held-out measurement of the candidate and the staged model, storing and registering");
    }

    /**
     * Runs the pipeline on another dataset until it is a running system's: in rounds (100 commits at the bench's sizes),
     * at least {@value #WARM_UP_COMMITS} commits, then until a round's whole-pipeline p50 is no longer
     * {@value #WARM_UP_SETTLED} below the best round before it (at most {@value #WARM_UP_MAX_COMMITS}); the history's
     * commits follow before the measured ones. The services' JIT compilers are what settles: their C2 threads are the
     * largest CPU consumers of the first ~1,500 pipelines on 2 cores (BENCHMARKS.md), and a warm-up of 300 commits
     * measured them (whole p50 136-164 ms, against 97-102 ms after ~1,700-1,900 pipelines, in the same stacks; round p50s
     * 382, 271, 225, 204, 206, 169, 153, 149, 143, 150 ms over the first 1,000 in one run). Each round's p50 is kept in
     * the report. Returns the commits made.
     */
    private static int warmUp(Context context, PipelineWatcher watcher, int commits, Report report) throws Exception {
        int least = Math.max(3, Math.min(WARM_UP_COMMITS, commits * 3));
        int most = Math.max(least, Math.min(WARM_UP_MAX_COMMITS, commits * 10));
        int round = Math.max(1, Math.min(100, commits));
        report.json().put("warmUpAtLeast", least);
        context.progress("warming up (at least %d commits, until the pipeline's p50 settles; not counted)...", least);
        String warm = dataset(context, "warm");
        Report.Table rounds = report.table("warm-up", "warm-up rounds (not counted): whole pipeline p50, ms", "commits", "commits", "p50", "p50");
        int made = 0;
        double best = Double.NaN;
        while (made < most) {
            int n = Math.min(round, most - made);
            double p50 = Stats.percentile(sequence(context, watcher, warm, n, made + 1, null).get(HOPS[4][0]), 50);
            rounds.row().put("commits", (made + 1) + ".." + (made + n)).put("p50", p50);
            made += n;
            boolean settled = !Double.isNaN(best) && p50 >= best * (1 - WARM_UP_SETTLED);
            best = Double.isNaN(best) ? p50 : Math.min(best, p50);
            if (made >= least && settled) {
                break;
            }
            if (made % 500 == 0) {
                context.progress("  warm-up %d commits, round p50 %s ms", made, Stats.format(p50));
            }
        }
        return made;
    }

    /** Issue 17's latency targets, each hop's p50 also as a multiple of the bare Kafka round trip measured in the same run. */
    private static void targets(Report report, Map<String, List<Double>> hops, double kafkaP50) {
        for (String hop : List.of(HOPS[0][0], HOPS[1][0], ORCHESTRATION, HOPS[3][0])) {
            List<Double> times = hops.get(hop);
            double p50 = Stats.percentile(times, 50);
            double p95 = Stats.percentile(times, 95);
            report.target(hop.trim() + ": p50 at most " + Stats.format(HOP_P50_MS) + " ms and p95 at most " + Stats.format(HOP_P95_MS) + " ms",
                    p50 <= HOP_P50_MS && p95 <= HOP_P95_MS, String.format(java.util.Locale.ROOT, "p50 %s ms, p95 %s ms; p50 = %.1fx the Kafka round trip (%s ms)",
                            Stats.format(p50), Stats.format(p95), p50 / kafkaP50, Stats.format(kafkaP50)));
        }
        double whole = Stats.percentile(hops.get(HOPS[4][0]), 50);
        report.target("whole pipeline p50 at most " + Stats.format(WHOLE_P50_MS) + " ms", whole <= WHOLE_P50_MS,
                String.format(java.util.Locale.ROOT, "p50 %s ms = %.1fx the Kafka round trip (%s ms)", Stats.format(whole), whole / kafkaP50,
                        Stats.format(kafkaP50)));
    }

    /**
     * The trainer's own compute in a run: from its log's "training ..." line to its "trained" line (the built-in trainer
     * writes both; a retried attempt's last pair counts).
     */
    static double trainerMillis(Api orchestrator, String runId) throws java.io.IOException, InterruptedException {
        com.fasterxml.jackson.databind.JsonNode run = orchestrator.get("/runs/" + Api.segment(runId));
        java.time.Instant began = null;
        java.time.Instant ended = null;
        for (String line : run.path("logsTail").asText("").split("\n")) {
            int space = line.indexOf(' ');
            String text = space < 0 ? "" : line.substring(space + 1);
            if (text.startsWith("training ")) {
                began = java.time.Instant.parse(line.substring(0, space));
                ended = null;
            } else if (text.startsWith("trained") && began != null) {
                ended = java.time.Instant.parse(line.substring(0, space));
            }
        }
        if (ended == null) {
            throw new IllegalStateException("run " + runId + "'s log does not show its trainer's start and end: " + run.path("logsTail").asText());
        }
        return java.time.Duration.between(began, ended).toNanos() / 1e6;
    }

    private static String dataset(Context context, String what) throws Exception {
        String name = "bench-latency-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
        context.api().createDataset(name, Records.tinyPipeline());
        return name;
    }

    /**
     * Commits {@code count} times (the first commit loads the dataset), each after the previous one's pipeline ended;
     * returns each hop's times. Commit number {@code first} onwards (revisions keep changing records).
     */
    static Map<String, List<Double>> sequence(Context context, PipelineWatcher watcher, String dataset, int count, int first,
            String progress) throws Exception {
        return sequence(context, watcher, dataset, count, first, progress, null);
    }

    /** The same, and with {@code orchestrator} (training-orchestrator's API) each run's trainer compute apart. */
    static Map<String, List<Double>> sequence(Context context, PipelineWatcher watcher, String dataset, int count, int first,
            String progress, Api orchestrator) throws Exception {
        Map<String, List<Double>> hops = new LinkedHashMap<>();
        for (String[] hop : HOPS) {
            hops.put(hop[0], new ArrayList<>());
        }
        if (orchestrator != null) {
            hops.put(TRAINER, new ArrayList<>());
            hops.put(ORCHESTRATION, new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            int number = first + i;
            Api.Commit commit = commitOnce(context.api(), dataset, number);
            if (!watcher.awaitTerminal(commit.hash(), PIPELINE_TIMEOUT)) {
                throw new IllegalStateException("commit " + number + " of " + dataset + " did not finish its pipeline within " + PIPELINE_TIMEOUT);
            }
            PipelineWatcher.Timeline timeline = watcher.timeline(commit.hash());
            if (!Topics.MODEL_PROMOTED.equals(timeline.terminal())) {
                throw new IllegalStateException("commit " + number + " of " + dataset + " ended on " + timeline.terminal() + ", not promoted");
            }
            for (String[] hop : HOPS) { // one poll may hand over the promotion before the events that led to it
                if (!watcher.awaitAny(commit.hash(), List.of(hop[2]), Duration.ofSeconds(10))) {
                    throw new IllegalStateException("commit " + number + " of " + dataset + " was promoted but never seen on " + hop[2]);
                }
            }
            for (String[] hop : HOPS) {
                long from = hop[1] == null ? commit.startedNanos() : timeline.first(hop[1]);
                hops.get(hop[0]).add(Stats.millis(from, timeline.first(hop[2])));
            }
            if (orchestrator != null) {
                double trainer = trainerMillis(orchestrator, timeline.runId());
                hops.get(TRAINER).add(trainer);
                hops.get(ORCHESTRATION).add(Stats.millis(timeline.first(Topics.DATASET_VALIDATED), timeline.first(Topics.MODEL_REGISTERED)) - trainer);
            }
            if (progress != null && (i + 1) % 50 == 0) {
                context.progress(progress, first + i);
            }
        }
        return hops;
    }

    /** Commit {@code number} of a dataset: the first loads {@value #DATASET_RECORDS} records, later ones change 20 of them. */
    static Api.Commit commitOnce(Api api, String dataset, int number) throws Exception {
        stageOnce(api, dataset, number);
        return api.commit(dataset, "bench commit " + number);
    }

    /** Stages what commit {@code number} of a dataset changes (see {@link #commitOnce}). */
    static void stageOnce(Api api, String dataset, int number) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (number == 1) {
            for (int i = 0; i < DATASET_RECORDS; i++) {
                body.writeBytes(Records.lineBytes(i, 0));
            }
        } else {
            for (int i = 0; i < CHANGED_PER_COMMIT; i++) {
                int key = ((number - 2) * CHANGED_PER_COMMIT + i) % DATASET_RECORDS;
                body.writeBytes(Records.lineBytes(key, number));
            }
        }
        api.stage(dataset, () -> new ByteArrayInputStream(body.toByteArray()));
    }

    private static void fill(Report.Table table, Map<String, List<Double>> hops) {
        for (Map.Entry<String, List<Double>> hop : hops.entrySet()) {
            ObjectNode row = table.row();
            row.put("hop", hop.getKey()).put("p50", Stats.percentile(hop.getValue(), 50)).put("p95", Stats.percentile(hop.getValue(), 95))
                    .put("max", Stats.percentile(hop.getValue(), 100)).put("n", hop.getValue().size());
        }
    }

    /** Produce one record, wait until a consumer on the same broker sees it; {@code n} times, one at a time. */
    static List<Double> kafkaRoundTrip(String bootstrap, int n) throws Exception {
        String topic = "bench.round-trip";
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin client = Admin.create(admin)) {
            if (!client.listTopics().names().get().contains(topic)) {
                client.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
        }
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<Double> times = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps);
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            for (int i = 0; i < n + 5; i++) {
                String id = UUID.randomUUID().toString();
                long started = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, id, "{\"round\":" + i + "}"));
                boolean seen = false;
                long deadline = started + Duration.ofSeconds(30).toNanos();
                while (!seen && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        seen |= record.key().equals(id);
                    }
                }
                if (!seen) {
                    throw new IllegalStateException("the round-trip record did not come back within 30 s");
                }
                if (i >= 5) { // the first few warm up connections and metadata
                    times.add(Stats.millis(started, System.nanoTime()));
                }
            }
        }
        return times;
    }
}
