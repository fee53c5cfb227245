package io.dataline.testsupport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generated customer feedback ({@code id}, {@code feedback}, {@code category}, {@code sentiment}) whose sentiment
 * follows from its words, with 5 % of the labels flipped: learnable, but not perfectly. Same seed, same records.
 */
public final class SampleRecords {

    private static final String[] GOOD = {"great", "love", "excellent", "fast", "helpful", "friendly", "perfect", "happy", "recommend", "smooth"};
    private static final String[] BAD = {"terrible", "slow", "broken", "rude", "refund", "awful", "disappointed", "crash", "worst", "late"};
    private static final String[] NEUTRAL = {"the", "app", "order", "service", "delivery", "support", "team", "product", "was", "and", "my", "it"};
    private static final String[] CATEGORIES = {"billing", "shipping", "product", "support"};

    private SampleRecords() {
    }

    public static List<Map<String, Object>> feedback(int n, long seed) {
        Random random = new Random(seed);
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean positive = random.nextBoolean();
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 8; w++) {
                String[] pool = random.nextInt(3) == 0 ? (positive ? GOOD : BAD) : NEUTRAL;
                text.append(pool[random.nextInt(pool.length)]).append(' ');
            }
            boolean label = random.nextInt(20) == 0 ? !positive : positive;
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", "fb-" + i);
            record.put("feedback", text.toString().trim());
            record.put("category", CATEGORIES[random.nextInt(CATEGORIES.length)]);
            record.put("sentiment", label ? "positive" : "negative");
            records.add(record);
        }
        return records;
    }
}
