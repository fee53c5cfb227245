package io.dataline.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * commit-scaling's reads of the versions it committed, timed by the client (round trips on 127.0.0.1): the newest
 * version exported whole as NDJSON, records fetched one by one by key, and the last two versions diffed.
 */
final class ReadTimings {

    static final int EXPORTS = 3;
    static final int KEYS = 100;
    static final int DIFFS = 3;

    record Measured(double exportMillis, long exportBytes, double recordByKeyMillis, double diffMillis) {
    }

    private ReadTimings() {
    }

    /** Reads of {@code to} (and its diff from {@code from}); {@code keys} are keys the version holds. */
    static Measured measure(Api api, String dataset, String from, String to, List<String> keys) throws IOException, InterruptedException {
        String base = "/datasets/" + Api.segment(dataset);
        List<Double> exports = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < EXPORTS; i++) {
            long started = System.nanoTime();
            bytes = api.drain(base + "/versions/" + to + "/records");
            exports.add(Stats.millis(started, System.nanoTime()));
        }
        List<Double> lookups = new ArrayList<>();
        for (String key : keys.subList(0, Math.min(KEYS, keys.size()))) {
            long started = System.nanoTime();
            api.get(base + "/versions/" + to + "/records/" + Api.segment(key));
            lookups.add(Stats.millis(started, System.nanoTime()));
        }
        List<Double> diffs = new ArrayList<>();
        for (int i = 0; i < DIFFS; i++) {
            long started = System.nanoTime();
            api.get(base + "/diff?from=" + from + "&to=" + to);
            diffs.add(Stats.millis(started, System.nanoTime()));
        }
        return new Measured(Stats.median(exports), bytes, Stats.median(lookups), Stats.median(diffs));
    }
}
