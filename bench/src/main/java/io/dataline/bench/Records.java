package io.dataline.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Deterministic feedback records of about 200 bytes of NDJSON each ({@code id, feedback, sentiment, category,
 * score}), the same bytes for the service and for every baseline. Record {@code i} with revision {@code r} is always the
 * same line.
 */
public final class Records {

    static final String SCHEMA = """
            {"type": "object", "required": ["id", "feedback", "sentiment"], "additionalProperties": false,
             "properties": {"id": {"type": "string"}, "feedback": {"type": "string", "minLength": 1},
                            "sentiment": {"enum": ["positive", "negative", "neutral"]}, "category": {"type": "string"},
                            "score": {"type": "number"}}}""";

    private static final String[] GOOD = {"fantastic", "love", "fast", "helpful", "great", "smooth", "friendly", "reliable"};
    private static final String[] BAD = {"broken", "slow", "crash", "refund", "terrible", "confusing", "error", "late"};
    private static final String[] NEUTRAL = {"the", "app", "login", "screen", "order", "support", "update", "account", "team",
        "page", "price", "delivery", "today", "again", "after", "with"};
    private static final String[] CATEGORIES = {"billing", "ui", "performance", "support", "shipping"};
    private static final String[] SENTIMENTS = {"positive", "negative", "neutral"};

    private Records() {
    }

    public static String key(long i) {
        return String.format("r%09d", i);
    }

    /** Record {@code i} at revision {@code revision} (a changed record is the same key at a later revision). */
    public static String line(long i, int revision) {
        return line(i, revision, 0);
    }

    /**
     * Record {@code i} at a revision, from the data set {@code salt}: runs that must not find their data already
     * stored (content addressing would store nothing new) use a salt of their own.
     */
    public static String line(long i, int revision, long salt) {
        Random random = new Random(i * 1_000_003L + revision + salt * 7_919_000_003L);
        int sentiment = random.nextInt(3);
        StringBuilder text = new StringBuilder();
        while (text.length() < 120) {
            String[] pool = random.nextInt(3) == 0 ? (sentiment == 0 ? GOOD : sentiment == 1 ? BAD : NEUTRAL) : NEUTRAL;
            text.append(pool[random.nextInt(pool.length)]).append(' ');
        }
        return "{\"id\":\"" + key(i) + "\",\"feedback\":\"" + text.toString().trim() + "\",\"sentiment\":\"" + SENTIMENTS[sentiment]
                + "\",\"category\":\"" + CATEGORIES[random.nextInt(CATEGORIES.length)] + "\",\"score\":"
                + String.format(java.util.Locale.ROOT, "%.4f", random.nextDouble()) + "}";
    }

    public static byte[] lineBytes(long i, int revision) {
        return lineBytes(i, revision, 0);
    }

    public static byte[] lineBytes(long i, int revision, long salt) {
        return (line(i, revision, salt) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A salt no earlier run used (in practice). */
    public static long freshSalt() {
        return new java.security.SecureRandom().nextLong() & 0xffff_ffffL;
    }

    /**
     * A tiny training spec (text classifier; the SGD solver with two epochs, as behind the recorded latency figures)
     * and promotion gates every sane model passes.
     */
    public static Map<String, Object> tinyPipeline() {
        return Map.of(
                "training", Map.of("trainer", "builtin", "labelField", "sentiment", "holdoutFraction", 0.2, "seed", 7,
                        "features", List.of(Map.of("field", "feedback", "type", "text")), "params", Map.of("solver", "sgd", "epochs", 2)),
                "promotion", Map.of("gates", List.of(Map.of("metric", "accuracy", "min", 0.0))));
    }
}
