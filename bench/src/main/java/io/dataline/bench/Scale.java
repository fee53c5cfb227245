package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * scale: issue 23's capacity model, its inputs measured in this run. Unit costs at size/100 and size/10 records (a
 * one-shot ingest, the version's validation, an export, then commits of up to 1,000 changes, each waiting for its
 * validation) and per pipeline run (a tiny dataset that trains and promotes); {@link Capacity} projects storage, commit
 * latency, ingest time and broker/database load to 10M, 100M and 1B records at 10, 100 and 1,000 commits per minute,
 * and the same measurements at {@code size} records check the projection.
 */
final class Scale extends Suite {

    /** Commits of changes at each unit size, and at the size the projection is checked at. */
    static final int UNIT_COMMITS = 3;
    static final int CHECK_COMMITS = 2;

    Scale() {
        super("scale", "records of the measured check (unit costs measured at size/100 and size/10)", 10_000_000, true);
    }

    /** What one dataset of {@code records} cost: its ingest, its first validation, one export, and commits of changes. */
    record Unit(long records, int changes, Costs.Sample ingest, Costs.Sample firstValidation, double exportSeconds, List<Costs.Sample> commits,
            List<Api.Commit> answers, List<Costs.Sample> validations) {

        double commitMillis() {
            return Stats.median(answers.stream().map(Api.Commit::serverMillis).toList());
        }

        double perCommit(java.util.function.ToDoubleFunction<Costs.Sample> figure) {
            return Stats.median(commits.stream().map(figure::applyAsDouble).toList());
        }

        double perChange(java.util.function.ToLongFunction<Api.Commit> figure) {
            return Stats.median(answers.stream().map(a -> (double) figure.applyAsLong(a)).toList()) / changes;
        }

        /** A validation of a committed change (the version and its parent are read whole), median. */
        double validationSeconds() {
            return Stats.median(validations.stream().map(Costs.Sample::seconds).toList());
        }

        double validationCpu() {
            return Stats.median(validations.stream().map(v -> v.cpu("validation-service") + v.cpu("dataset-service")).toList());
        }
    }

    /** What one run of the whole pipeline (commit to promotion, a tiny dataset and spec) cost, averaged over runs. */
    record PipelineRun(int runs, Costs.Sample total, double p50Millis) {
        double per(double figure) {
            return figure / runs;
        }
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        long small = Math.max(1_000, size / 100);
        long middle = Math.max(10_000, size / 10);
        try (Costs costs = new Costs(context.stack()); PipelineWatcher watcher = new PipelineWatcher(context.stack().kafkaBootstrap())) {
            // a freshly started stack compiles its hot paths first: once, untimed, so the smaller unit is not the JIT's
            context.progress("warm-up: %,d records...", Math.max(1_000, size / 1000));
            unit(context, costs, watcher, Math.max(1_000, size / 1000), 1);
            context.progress("unit costs at %,d records...", small);
            Unit smallUnit = unit(context, costs, watcher, small, UNIT_COMMITS);
            context.progress("unit costs at %,d records...", middle);
            Unit middleUnit = unit(context, costs, watcher, middle, UNIT_COMMITS);
            int runs = size >= 1_000_000 ? 20 : 5;
            context.progress("%d runs of the whole pipeline (train, evaluate, promote)...", runs);
            PipelineRun pipeline = pipeline(context, costs, watcher, runs);
            context.progress("the check: %,d records...", size);
            Unit check = unit(context, costs, watcher, size, CHECK_COMMITS);
            new Capacity(smallUnit, middleUnit, pipeline, Runtime.getRuntime().availableProcessors()).report(report, check);
        }
    }

    private Unit unit(Context context, Costs costs, PipelineWatcher watcher, long records, int commits) throws Exception {
        Path file = context.scratch().resolve("scale-" + records + ".ndjson");
        long salt = Records.freshSalt();
        try (InputStream in = CommitScaling.ndjson(0, records, 0, salt)) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String dataset = "bench-scale-" + records + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            context.api().createDataset(dataset, null);
            Costs.Sample before = costs.sample();
            JsonNode version = context.api().commitNdjson(dataset, "ingest " + records, () -> {
                try {
                    return Files.newInputStream(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long ingestAnswered = System.nanoTime();
            Costs.Sample ingested = costs.sample();
            if (version.path("recordCount").asLong() != records) {
                throw new IllegalStateException("the ingest holds " + version.path("recordCount") + " of " + records + " records");
            }
            long firstValidated = watcher.awaitValidated(version.path("hash").asText(), CommitScaling.VALIDATION_TIMEOUT);
            // validations are timed from the answer to the validated event's arrival; their CPU and bytes between samples
            Costs.Sample firstValidation = costs.sample().since(ingested).timed(ingestAnswered, firstValidated);
            long exportStarted = System.nanoTime();
            context.api().drain("/datasets/" + Api.segment(dataset) + "/versions/" + version.path("hash").asText() + "/records");
            double exportSeconds = Stats.millis(exportStarted, System.nanoTime()) / 1000;

            int changes = (int) Math.min(1000, Math.max(10, records / 20));
            List<Costs.Sample> commitCosts = new ArrayList<>();
            List<Api.Commit> answers = new ArrayList<>();
            List<Costs.Sample> validations = new ArrayList<>();
            Set<Long> deleted = new HashSet<>();
            Random random = new Random(records);
            long next = records;
            for (int c = 1; c <= commits; c++) {
                CommitScaling.Change change = CommitScaling.Change.next(random, records, next, changes, deleted, c);
                next += change.inserts().size();
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (long key : change.updates()) {
                    body.write(Records.lineBytes(key, c, salt));
                }
                for (long key : change.inserts()) {
                    body.write(Records.lineBytes(key, 0, salt));
                }
                context.api().stage(dataset, () -> new ByteArrayInputStream(body.toByteArray()));
                for (long key : change.deletes()) {
                    context.api().delete(dataset, Records.key(key));
                }
                Costs.Sample start = costs.sample();
                Api.Commit commit = context.api().commit(dataset, "change " + c);
                Costs.Sample committed = costs.sample();
                commitCosts.add(committed.since(start));
                answers.add(commit);
                long validated = watcher.awaitValidated(commit.hash(), CommitScaling.VALIDATION_TIMEOUT);
                validations.add(costs.sample().since(committed).timed(commit.answeredNanos(), validated));
            }
            context.progress("  %,d records: ingest %.1f s, validation %.1f s, commit %s ms, validation of a change %.1f s", records,
                    ingested.since(before).seconds(), firstValidation.seconds(), Stats.format(Stats.median(answers.stream()
                            .map(Api.Commit::serverMillis).toList())), Stats.median(validations.stream().map(Costs.Sample::seconds).toList()));
            return new Unit(records, changes, ingested.since(before), firstValidation, exportSeconds, commitCosts, answers, validations);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@code runs} commits of 20 changed records to a 200-record dataset with the tiny spec, each after the last ended. */
    private PipelineRun pipeline(Context context, Costs costs, PipelineWatcher watcher, int runs) throws Exception {
        String dataset = "bench-scale-pipeline-" + UUID.randomUUID().toString().substring(0, 8);
        context.api().createDataset(dataset, Records.tinyPipeline());
        List<Double> latencies = new ArrayList<>();
        Costs.Sample before = null;
        for (int number = 1; number <= runs + 1; number++) {
            Api.Commit commit = PipelineLatency.commitOnce(context.api(), dataset, number);
            if (!watcher.awaitTerminal(commit.hash(), PipelineLatency.PIPELINE_TIMEOUT)) {
                throw new IllegalStateException(commit.hash() + " did not finish within " + PipelineLatency.PIPELINE_TIMEOUT);
            }
            PipelineWatcher.Timeline timeline = watcher.timeline(commit.hash());
            if (number == 1) { // the first trains the first model on all 200 records: not a typical run
                Thread.sleep(2000);
                before = costs.sample();
            } else {
                latencies.add(Stats.millis(commit.startedNanos(), timeline.first(timeline.terminal())));
            }
        }
        Thread.sleep(2000); // the last run's outbox relays, offsets and webhooks settle, as the first's did
        return new PipelineRun(runs, costs.sample().since(before), Stats.percentile(latencies, 50));
    }
}
