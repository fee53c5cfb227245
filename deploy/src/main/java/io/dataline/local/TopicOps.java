package io.dataline.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What ops do with the topics: {@code watch} (every event on every pipeline topic and dead-letter topic as one
 * timeline), {@code dlq list} (what failed and why) and {@code dlq replay} (put dead letters back on their source
 * topic once the cause is fixed; consumers are idempotent, so a replay twice does no harm).
 */
final class TopicOps {

    static final Pattern PIPELINE_TOPICS = Pattern.compile("^(dataset|training|model|pull)\\..+");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrap;
    private final PrintStream out;

    TopicOps(String bootstrap, PrintStream out) {
        this.bootstrap = bootstrap;
        this.out = out;
    }

    /** Prints every record of the pipeline topics and DLQs as it arrives (or from the start) until {@code stop} says so. */
    void watch(boolean fromBeginning, BooleanSupplier stop) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            Set<String> assigned = Set.of();
            long nextRefresh = 0;
            while (!stop.getAsBoolean()) {
                if (System.nanoTime() > nextRefresh) {
                    Set<String> topics = pipelineTopics(consumer);
                    if (!topics.equals(assigned)) {
                        List<TopicPartition> partitions = partitions(consumer, topics);
                        Map<TopicPartition, Long> positions = new HashMap<>();
                        partitions.forEach(p -> {
                            try {
                                positions.put(p, consumer.position(p));
                            } catch (IllegalStateException notAssigned) {
                                // a new partition: starts as the rest
                            }
                        });
                        consumer.assign(partitions);
                        List<TopicPartition> fresh = partitions.stream().filter(p -> !positions.containsKey(p)).toList();
                        if (fromBeginning || !assigned.isEmpty()) {
                            consumer.seekToBeginning(fresh); // topics that appear while watching are read whole
                        } else {
                            consumer.seekToEnd(fresh);
                        }
                        positions.forEach(consumer::seek);
                        assigned = topics;
                    }
                    nextRefresh = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
                if (assigned.isEmpty()) {
                    sleep();
                    continue;
                }
                List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
                consumer.poll(POLL).forEach(batch::add);
                batch.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp)); // one timeline across topics
                batch.forEach(record -> out.println(line(record)));
            }
        }
    }

    /** Lists every dead letter with its id ({@code partition:offset}), source and reason; returns how many. */
    int dlqList() {
        int total = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<String> dlqs = pipelineTopics(consumer).stream().filter(t -> t.endsWith(Topics.DLQ_SUFFIX)).sorted().toList();
            if (dlqs.isEmpty()) {
                out.println("No dead-letter topics.");
                return 0;
            }
            for (String dlq : dlqs) {
                List<ConsumerRecord<String, byte[]>> records = readAll(consumer, dlq);
                out.printf("%s: %d dead letter(s)%n", dlq, records.size());
                for (ConsumerRecord<String, byte[]> record : records) {
                    out.printf("  id %d:%d  %s  key=%s  from %s@%s  reason: %s%n", record.partition(), record.offset(),
                            TIME.format(Instant.ofEpochMilli(record.timestamp())), record.key(), header(record, "dead-letter-topic"),
                            header(record, "dead-letter-offset"), header(record, "dead-letter-reason"));
                }
                total += records.size();
            }
        }
        return total;
    }

    /** Puts the dead letters of {@code dlq} (all, or those with the given ids) back on their source topic. */
    int dlqReplay(String dlq, List<String> ids) {
        if (!dlq.endsWith(Topics.DLQ_SUFFIX)) {
            throw new LauncherException(dlq + " is not a dead-letter topic (they end with " + Topics.DLQ_SUFFIX + ")");
        }
        int replayed = 0;
        try (KafkaConsumer<String, byte[]> consumer = consumer(); KafkaProducer<String, byte[]> producer = producer()) {
            if (!pipelineTopics(consumer).contains(dlq)) {
                throw new LauncherException("no topic " + dlq + "; see ./dataline dlq list");
            }
            List<ConsumerRecord<String, byte[]>> records = readAll(consumer, dlq);
            for (String id : ids) {
                if (records.stream().noneMatch(r -> id.equals(r.partition() + ":" + r.offset()))) {
                    throw new LauncherException("no dead letter " + id + " on " + dlq + "; see ./dataline dlq list");
                }
            }
            for (ConsumerRecord<String, byte[]> record : records) {
                String id = record.partition() + ":" + record.offset();
                if (!ids.isEmpty() && !ids.contains(id)) {
                    continue;
                }
                String source = header(record, "dead-letter-topic");
                if (source == null) {
                    source = dlq.substring(0, dlq.lastIndexOf('.', dlq.length() - Topics.DLQ_SUFFIX.length() - 1));
                }
                ProducerRecord<String, byte[]> back = new ProducerRecord<>(source, record.key(), record.value());
                for (Header header : record.headers()) {
                    if (!header.key().startsWith("dead-letter-") && !header.key().startsWith("deserialization-failure-")) {
                        back.headers().add(header);
                    }
                }
                back.headers().add("dataline-replayed-from", (dlq + ":" + id).getBytes(StandardCharsets.UTF_8));
                producer.send(back).get(30, TimeUnit.SECONDS);
                out.printf("replayed %s %s -> %s (key %s)%n", dlq, id, source, record.key());
                replayed++;
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new LauncherException("replay failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
        if (replayed == 0) {
            out.println("Nothing to replay on " + dlq + ".");
        }
        return replayed;
    }

    /** One timeline line: time, topic, dataset, version and what the event says. */
    static String line(ConsumerRecord<String, byte[]> record) {
        String when = TIME.format(Instant.ofEpochMilli(record.timestamp()));
        if (record.topic().endsWith(Topics.DLQ_SUFFIX)) {
            return String.format("%s  %-45s %-28s DEAD LETTER from %s: %s", when, record.topic(), record.key(),
                    header(record, "dead-letter-topic"), header(record, "dead-letter-reason"));
        }
        JsonNode event;
        try {
            event = EventJson.mapper().readTree(record.value());
        } catch (Exception e) {
            return String.format("%s  %-45s %-28s (not JSON, %d bytes)", when, record.topic(), record.key(),
                    record.value() == null ? 0 : record.value().length);
        }
        String version = event.path("dataVersion").asText("");
        String shortVersion = version.length() > 12 ? version.substring(0, 12) : version;
        return String.format("%s  %-45s %-28s %-12s %s", when, record.topic(), record.key(), shortVersion, summary(record.topic(), event));
    }

    private static String summary(String topic, JsonNode e) {
        return switch (topic) {
            case Topics.DATASET_COMMITTED -> String.format("%d records (+%d ~%d -%d) \"%s\" by %s", e.path("recordCount").asLong(),
                    e.path("added").asLong(), e.path("updated").asLong(), e.path("deleted").asLong(), e.path("message").asText(),
                    e.path("author").asText());
            case Topics.DATASET_VALIDATED -> "passed " + e.path("checksRun").asInt() + " checks" + drift(e.path("drift"));
            case Topics.DATASET_VALIDATION_FAILED -> {
                List<String> failed = new ArrayList<>();
                e.path("failedChecks").forEach(c -> failed.add(c.path("check").asText()
                        + (c.path("field").isTextual() ? "(" + c.path("field").asText() + ")" : "")
                        + (c.path("offendingKeys").isEmpty() ? "" : " keys " + c.path("offendingKeys"))));
                yield "FAILED " + String.join("; ", failed) + drift(e.path("drift"));
            }
            case Topics.TRAINING_RUN_STARTED -> "run " + e.path("runId").asText() + " with " + e.path("trainer").asText();
            case Topics.TRAINING_RUN_FAILED -> "run " + e.path("runId").asText() + " FAILED: " + e.path("reason").asText();
            case Topics.MODEL_REGISTERED -> String.format("%s v%d accuracy %.3f macroF1 %.3f (staging: %s)", e.path("model").asText(),
                    e.path("modelVersion").asInt(), e.path("metrics").path("accuracy").asDouble(), e.path("metrics").path("macroF1").asDouble(),
                    e.path("baselineVersion").isNull() ? "none" : "v" + e.path("baselineVersion").asInt());
            case Topics.MODEL_PROMOTED -> e.path("model").asText() + " v" + e.path("modelVersion").asInt() + " -> " + e.path("stage").asText()
                    + (e.path("rollback").asBoolean() ? " (rollback)" : "");
            case Topics.MODEL_PROMOTION_REJECTED -> e.path("model").asText() + " v" + e.path("modelVersion").asInt() + " REJECTED: "
                    + e.path("reason").asText();
            case Topics.MODEL_CANDIDATE_EVALUATED -> e.path("model").asText() + " v" + e.path("modelVersion").asInt() + " candidate on "
                    + e.path("branch").asText() + (e.path("passed").asBoolean() ? " passed the gates" : " REJECTED: " + e.path("reason").asText());
            case Topics.PULL_OPENED, Topics.PULL_MERGED, Topics.PULL_CLOSED -> "#" + e.path("number").asInt() + " " + e.path("from").asText() + " -> "
                    + e.path("into").asText() + " " + topic.substring("pull.".length()) + (e.has("title") ? " \"" + e.path("title").asText() + "\"" : "");
            case Topics.PULL_CHECKS_COMPLETED -> "#" + e.path("number").asInt() + " checks " + e.path("state").asText() + ": " + e.path("summary").asText();
            default -> e.toString();
        };
    }

    private static String drift(JsonNode drift) {
        List<String> scores = new ArrayList<>();
        drift.forEach(d -> {
            StringBuilder s = new StringBuilder(d.path("field").asText());
            if (d.path("lInfinity").isNumber()) {
                s.append(String.format(" L∞=%.3f JS=%.3f", d.path("lInfinity").asDouble(), d.path("jensenShannon").asDouble()));
            } else if (d.path("psi").isNumber()) {
                s.append(String.format(" PSI=%.3f", d.path("psi").asDouble()));
            } else {
                s.append(" n/a");
            }
            scores.add(s.toString());
        });
        return scores.isEmpty() ? "" : "; drift " + String.join(", ", scores);
    }

    private List<ConsumerRecord<String, byte[]>> readAll(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = partitions(consumer, Set.of(topic));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
            consumer.poll(POLL).forEach(records::add);
        }
        records.sort(java.util.Comparator.comparingInt(ConsumerRecord<String, byte[]>::partition).thenComparingLong(ConsumerRecord::offset));
        return records;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, Set<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        return partitions;
    }

    private static Set<String> pipelineTopics(KafkaConsumer<String, byte[]> consumer) {
        Set<String> topics = new java.util.TreeSet<>();
        consumer.listTopics(Duration.ofSeconds(10)).keySet().stream().filter(t -> PIPELINE_TOPICS.matcher(t).matches()).forEach(topics::add);
        return topics;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "dataline-ops-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
