package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * merge: a dataset of {@code size} records, two branches from main each changing {@code changes} records spread over
 * the key space (disjoint keys), merged into main by pull requests: the first a fast-forward, the second a three-way
 * merge by key (main moved). Reports each step's round trip next to a commit of the same number of changes; target:
 * the three-way merge costs at most 2x such a commit (its cost follows the changes, not the dataset).
 */
final class MergeSuite extends Suite {

    static final int ROUNDS = 3;

    MergeSuite() {
        super("merge", "records of the dataset the branches are merged into", 1_000_000, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        int changes = changesFor(size, 20);
        report.json().put("records", size).put("changesPerBranch", changes).put("rounds", ROUNDS);
        Report.Table table = report.table("merge", "merge: two branches with " + changes + " changed records each into " + String.format("%,d", size)
                + " records (median of " + ROUNDS + " rounds, client round trips)", "step", "step", "ms", "millis");
        List<Double> commits = new ArrayList<>();
        List<Double> fastForwards = new ArrayList<>();
        List<Double> threeWay = new ArrayList<>();
        String dataset = "bench-merge-" + UUID.randomUUID().toString().substring(0, 8);
        long salt = Records.freshSalt();
        context.api().createDataset(dataset, null);
        context.progress("dataset of %,d records: loading...", size);
        context.api().commitNdjson(dataset, "initial", () -> CommitScaling.ndjson(0, size, 0, salt));
        long step = Math.max(2, size / changes);
        for (int round = 1; round <= ROUNDS; round++) {
            String a = "bench/a-" + round;
            String b = "bench/b-" + round;
            for (String branch : List.of(a, b)) {
                context.api().timed("POST", path(dataset, "/branches"), json("{\"name\": \"" + branch + "\", \"from\": \"main\"}"),
                        "application/json", 201);
            }
            commits.add(commit(context, dataset, a, changes, step, 0, round, salt));
            commits.add(commit(context, dataset, b, changes, step, 1, round, salt));
            fastForwards.add(merge(context, dataset, a));
            threeWay.add(merge(context, dataset, b));
            context.progress("round %d: commits %s / %s ms, fast-forward %s ms, three-way merge %s ms", round,
                    Stats.format(commits.get(commits.size() - 2)), Stats.format(commits.get(commits.size() - 1)),
                    Stats.format(fastForwards.get(round - 1)), Stats.format(threeWay.get(round - 1)));
        }
        double commit = Stats.median(commits);
        double merged = Stats.median(threeWay);
        table.row().put("step", "commit of " + changes + " changes to a branch").put("millis", commit);
        table.row().put("step", "merge by pull request, fast-forward").put("millis", Stats.median(fastForwards));
        table.row().put("step", "merge by pull request, three-way (" + changes + " + " + changes + " changes)").put("millis", merged);
        report.json().put("threeWayOverCommit", merged / commit);
        report.target("a three-way merge of two branches costs at most 2x a commit of one branch's changes", merged <= 2 * commit,
                Stats.format(merged) + " ms vs " + Stats.format(commit) + " ms (" + Stats.format(merged / commit) + "x)");
        report.note("both branches change keys spread evenly over the whole key space (a worst case for the tree: every change touches "
                + "its own leaf); each round merges into the main the previous round left");
    }

    /** A one-shot commit of {@code changes} updated records to a branch, keys {@code offset + k * step}; its round trip. */
    private static double commit(Context context, String dataset, String branch, int changes, long step, int offset, int round, long salt)
            throws IOException, InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int k = 0; k < changes; k++) {
            body.write(Records.lineBytes(k * step + offset, round, salt));
        }
        return context.api().timed("POST", path(dataset, "/branches/" + branch + "/commits?message=changes"), body.toByteArray(),
                "application/x-ndjson", 201).roundTripMillis();
    }

    /** Opens a pull request from {@code branch} into main and merges it; the merge's round trip. */
    private static double merge(Context context, String dataset, String branch) throws IOException, InterruptedException {
        JsonNode pull = context.api().timed("POST", path(dataset, "/pulls"),
                json("{\"from\": \"" + branch + "\", \"into\": \"main\", \"title\": \"bench\"}"), "application/json", 201).answer();
        return context.api().timed("POST", path(dataset, "/pulls/" + pull.path("number").asInt() + "/merge"), json("{}"), "application/json", 200)
                .roundTripMillis();
    }

    private static String path(String dataset, String rest) {
        return "/datasets/" + Api.segment(dataset) + rest;
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
