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
 * pipeline-latency: with a tiny training spec, {@code size} commits one after another, each followed through
 * commit → dataset.committed → dataset.validated → model.registered → model.promoted as the topics carry them:
 * p50 and p95 of each hop and of the whole. Then the same on one dataset with a long history (10 × size commits
 * before it) to show latency does not grow with history. Reference in the same run: a bare Kafka produce → consume
 * round trip on the same broker.
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

    PipelineLatency() {
        super("pipeline-latency", "commits measured (the history run first makes 10 x size commits on one dataset)", 100, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        int commits = (int) size;
        int history = commits * 10;
        report.json().put("commits", commits).put("historyCommits", history).putPOJO("pipeline", Records.tinyPipeline());
        try (PipelineWatcher watcher = new PipelineWatcher(context.stack().kafkaBootstrap())) {
            int warmUp = Math.max(3, Math.min(20, commits));
            context.progress("warming up (%d commits, not counted)...", warmUp);
            String warm = dataset(context, "warm");
            sequence(context, watcher, warm, warmUp, 1, null);

            context.progress("%d commits on a fresh dataset...", commits);
            String fresh = dataset(context, "fresh");
            Map<String, List<Double>> fromStart = sequence(context, watcher, fresh, commits, 1, null);
            Report.Table hops = report.table("hops", "pipeline-latency: " + commits + " commits, one at a time, ms",
                    "hop", "hop", "p50", "p50", "p95", "p95", "max", "max", "n", "n");
            fill(hops, fromStart);

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
        }

        context.progress("reference: bare Kafka produce -> consume round trip...");
        List<Double> kafka = kafkaRoundTrip(context.stack().kafkaBootstrap(), Math.max(commits, 20));
        Report.Table reference = report.table("reference", "reference: Kafka produce -> consume round trip on the same broker, ms",
                "what", "what", "p50", "p50", "p95", "p95", "n", "n");
        reference.row().put("what", "kafka round trip (acks=all)").put("p50", Stats.percentile(kafka, 50)).put("p95", Stats.percentile(kafka, 95))
                .put("n", kafka.size());
        report.note("the round trip uses the producer settings of the services' outbox channel (acks=all, idempotence, linger.ms 0)");
        report.note("times are when this process saw each event on its topic (one clock); the services' own consumers see them at "
                + "the same moment or later. The dataset has " + DATASET_RECORDS + " records; each commit changes "
                + CHANGED_PER_COMMIT + " of them, so training data does not grow with history.");
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
        Map<String, List<Double>> hops = new LinkedHashMap<>();
        for (String[] hop : HOPS) {
            hops.put(hop[0], new ArrayList<>());
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
            for (String[] hop : HOPS) {
                long from = hop[1] == null ? commit.startedNanos() : timeline.first(hop[1]);
                hops.get(hop[0]).add(Stats.millis(from, timeline.first(hop[2])));
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
