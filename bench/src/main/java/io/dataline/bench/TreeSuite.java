package io.dataline.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * tree (JMH): {@link TreeCommitBenchmark} at size/100, size/10 and size records — the version tree's share of a
 * commit without the database or HTTP. Forked JVMs, warm-up and measurement iterations as JMH does them; a tiny size
 * (below 10,000) runs one short iteration in this JVM only to prove the benchmark works.
 */
final class TreeSuite extends Suite {

    TreeSuite() {
        super("tree", "records of the largest tree (JMH micro-benchmark, no stack needed)", 1_000_000, false);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        List<String> sizes = new ArrayList<>();
        for (long n : new long[] {Math.max(100, size / 100), Math.max(100, size / 10), size}) {
            if (!sizes.contains(Long.toString(n))) {
                sizes.add(Long.toString(n));
            }
        }
        boolean tiny = size < 10_000;
        ChainedOptionsBuilder options = new OptionsBuilder().include(TreeCommitBenchmark.class.getName())
                .param("records", sizes.toArray(String[]::new)).param("changes", Long.toString(Math.min(1000, Math.max(10, size / 100))));
        if (tiny) {
            options.forks(0).warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(200));
        } else {
            options.forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5)
                    .measurementTime(TimeValue.seconds(2)).jvmArgsAppend("-Xmx2g");
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        Report.Table table = report.table("tree", "tree (JMH, average time per apply of the edits)", "records", "records",
                "tree format", "treeFormat", "ms per commit", "millis", "error ms (99.9%)", "error");
        java.util.TreeMap<Long, Double> current = new java.util.TreeMap<>();
        for (RunResult result : results) {
            double score = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            long records = Long.parseLong(result.getParams().getParam("records"));
            int format = Integer.parseInt(result.getParams().getParam("format"));
            table.row().put("records", records).put("treeFormat", format).put("millis", score).put("error", Double.isNaN(error) ? null : error);
            if (format == io.dataline.dataset.versioning.TreeFormat.CURRENT.id()) {
                current.put(records, score);
            }
        }
        double first = current.firstEntry().getValue();
        double last = current.lastEntry().getValue();
        report.target("tree work flat in dataset size (at most 2x from the smallest to the largest), current tree format", last <= 2 * first,
                Stats.format(first) + " ms -> " + Stats.format(last) + " ms");
        if (tiny) {
            report.note("tiny size: one 200 ms iteration in this JVM, no warm-up: proves the benchmark runs, measures nothing");
        }
    }
}
