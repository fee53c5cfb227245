package io.dataline.local;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import io.dataline.events.kafka.DeadLetters;
import io.dataline.events.kafka.TopicTail;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What ops do with the topics: {@code watch} (every event on every pipeline topic and dead-letter topic as one
 * timeline), {@code dlq list} (what failed and why) and {@code dlq replay} (put dead letters back on their source
 * topic once the cause is fixed; consumers are idempotent, so a replay twice does no harm).
 */
final class TopicOps {

    static final Pattern PIPELINE_TOPICS = TopicTail.PIPELINE_TOPICS;
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
        try (TopicTail tail = new TopicTail(bootstrap, PIPELINE_TOPICS, fromBeginning)) {
            while (!stop.getAsBoolean()) {
                tail.poll(POLL).forEach(record -> out.println(line(record)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lists every dead letter with its id ({@code partition:offset}), source and reason; returns how many. */
    int dlqList() {
        DeadLetters deadLetters = new DeadLetters(bootstrap);
        List<String> dlqs = deadLetters.topics();
        if (dlqs.isEmpty()) {
            out.println("No dead-letter topics.");
            return 0;
        }
        int total = 0;
        for (String dlq : dlqs) {
            List<DeadLetters.Letter> letters = deadLetters.read(dlq);
            out.printf("%s: %d dead letter(s)%n", dlq, letters.size());
            for (DeadLetters.Letter letter : letters) {
                out.printf("  id %s  %s  key=%s  from %s@%s  reason: %s%n", letter.id(), TIME.format(letter.at()), letter.key(),
                        letter.source(), letter.sourceOffset(), letter.reason());
            }
            total += letters.size();
        }
        return total;
    }

    /** Puts the dead letters of {@code dlq} (all, or those with the given ids) back on their source topic. */
    int dlqReplay(String dlq, List<String> ids) {
        List<DeadLetters.Replayed> replayed;
        try {
            replayed = new DeadLetters(bootstrap).replay(dlq, ids);
        } catch (IllegalArgumentException e) {
            throw new LauncherException(e.getMessage() + "; see ./dataline dlq list");
        } catch (IllegalStateException e) {
            throw new LauncherException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
        replayed.forEach(r -> out.printf("replayed %s %s -> %s (key %s)%n", dlq, r.id(), r.source(), r.key()));
        if (replayed.isEmpty()) {
            out.println("Nothing to replay on " + dlq + ".");
        }
        return replayed.size();
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

    static String header(ConsumerRecord<?, ?> record, String name) {
        return DeadLetters.header(record, name);
    }
}
