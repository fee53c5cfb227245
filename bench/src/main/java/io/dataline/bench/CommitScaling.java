package io.dataline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * commit-scaling: 1,000 changed records (70% updates, 20% inserts, 10% deletes; at most a tenth of a small dataset's
 * records) committed into datasets of size/100, size/10 and size records. Reports the server's commit time
 * (Server-Timing; median of several commits), the new storage each commit wrote (bytes of new chunks, and what
 * PostgreSQL stores of them) and how long the version's validation took, next to {@link GitBaseline}: the same records
 * and changes as one file in a git repository.
 */
final class CommitScaling extends Suite {

    /**
     * Timed commits a size, on each side. Eleven: a median of five left the targets near their thresholds (10k against
     * git, the growth to 1M) to the draw of the run (BENCHMARKS.md).
     */
    static final int COMMITS = 11;
    static final java.time.Duration VALIDATION_TIMEOUT = java.time.Duration.ofMinutes(30);

    CommitScaling() {
        super("commit-scaling", "records of the largest dataset (the others are size/10 and size/100)", 1_000_000, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        int changes = changesFor(size, 100);
        report.json().put("changedRecordsPerCommit", changes).put("commitsPerSize", COMMITS);
        Report.Table table = report.table("sizes", "commit-scaling: up to " + changes + " changed records per commit (70% updates, "
                + "20% inserts, 10% deletes), median of " + COMMITS + " commits",
                "records", "records", "changed", "changed", "dataline commit ms", "datalineCommitMillis",
                "of it waiting on chunk fetches ms", "chunkFetchMillis", "on chunk inserts ms", "chunkWriteMillis", "client round trip ms", "datalineRoundTripMillis",
                "new chunks KiB", "datalineNewKiB", "stored KiB", "datalineStoredKiB", "git add+commit ms", "gitMillis",
                "git growth KiB", "gitGrowthKiB", "git / dataline", "speedup", "validation ms", "validationMillis",
                "export ms", "exportMillis", "by key ms", "recordByKeyMillis", "diff ms", "diffMillis");
        List<Long> sizes = new ArrayList<>();
        for (long n : new long[] {Math.max(changes, size / 100), Math.max(changes, size / 10), size}) {
            if (!sizes.contains(n)) {
                sizes.add(n);
            }
        }
        // a freshly started stack compiles its hot paths during its first minute, on the same 2 cores: the smallest
        // size, once, untimed, so the first measured commits are not the JIT's
        long warmUpStarted = System.nanoTime();
        context.progress("warm-up: dataset of %,d records...", sizes.get(0));
        dataline(context, sizes.get(0), changesAt(sizes.get(0), changes), Records.freshSalt(), java.time.Duration.ZERO);
        report.json().put("warmUpSeconds", Stats.millis(warmUpStarted, System.nanoTime()) / 1000);
        List<ObjectNode> rows = new ArrayList<>();
        for (long n : sizes) {
            context.progress("dataset of %,d records: loading...", n);
            ObjectNode row = table.row();
            int changed = changesAt(n, changes);
            row.put("records", n).put("changed", changed);
            long salt = Records.freshSalt(); // same bytes for both sides, never seen before by the stack
            Measured ours = dataline(context, n, changed, salt, context.quietMax());
            GitBaseline.Measured git = GitBaseline.measure(context, n, changed, salt);
            row.put("datalineCommitMillis", Stats.median(ours.millis())).put("datalineRoundTripMillis", Stats.median(ours.roundTrips()))
                    .put("datalineNewKiB", Stats.median(ours.bytes()) / 1024).put("datalineStoredKiB", Stats.median(ours.storedBytes()) / 1024)
                    .put("gitMillis", Stats.median(git.millis())).put("gitGrowthKiB", Stats.median(git.bytes()) / 1024)
                    .put("speedup", Stats.median(git.millis()) / Stats.median(ours.millis()))
                    .put("validationMillis", Stats.median(ours.validationMillis())).put("exportMillis", ours.reads().exportMillis())
                    .put("recordByKeyMillis", ours.reads().recordByKeyMillis()).put("diffMillis", ours.reads().diffMillis())
                    .put("exportBytes", ours.reads().exportBytes()).put("treeFormat", ours.treeFormat())
                    .put("chunkFetchMillis", Stats.median(ours.fetchMillis())).put("chunkWriteMillis", Stats.median(ours.writeMillis()))
                    .put("quietWaitMillis", Stats.median(ours.quietMillis())).put("gitQuietWaitMillis", Stats.median(git.quietMillis()));
            row.putPOJO("datalineCommitMillisAll", ours.millis()).putPOJO("gitMillisAll", git.millis());
            rows.add(row);
            context.progress("  dataline %s ms, git %s ms", Stats.format(Stats.median(ours.millis())), Stats.format(Stats.median(git.millis())));
        }
        targets(report, rows);
        report.note("dataline new chunks = bytes of the tree chunks the commit added (content-addressed, shared); stored = what "
                + "PostgreSQL keeps of them (pg_column_size, after its TOAST compression); git growth = growth of .git after git add "
                + "+ git commit (loose zlib objects, no gc)");
        report.json().put("treeFormat", rows.get(0).get("treeFormat").asInt());
        report.note("tree format of these datasets: " + rows.get(0).get("treeFormat").asInt() + (context.treeFormat() == 0
                ? " (dataset-service's for new datasets)" : " (--tree-format)"));
        report.note("reads of the newest version, client round trips: export = all records as NDJSON (median of " + ReadTimings.EXPORTS
                + "), by key = one record (median of " + ReadTimings.KEYS + "), diff = from the version before (median of " + ReadTimings.DIFFS + ")");
        report.note("before the sizes, the smallest one ran once untimed (warm-up: " + Math.round(report.json().get("warmUpSeconds").asDouble())
                + " s)");
        report.note("each timed commit starts once the previous version's validation (the whole pipeline of these datasets) ended and "
                + "then the machine was quiet (under " + Math.round(Machine.QUIET_SHARE * 100) + " % of its CPU time busy for two "
                + Machine.QUIET_WINDOW.toMillis() + " ms windows in a row; medians of that wait, ms, in the JSON: quietWaitMillis, and "
                + "gitQuietWaitMillis for git's commits, which wait the same way); validation ms = from the commit's answer to its "
                + "dataset.validated event");
    }

    /**
     * The changes a commit into {@code n} records makes: the suite's count at every size, as issue 17 defines the commit
     * targets (1,000 random changes into 10k, 100k and 1M records, so the growth from 10k to 1M is the dataset's size
     * alone), and at most a tenth of the records, so a small dataset takes its {@value #COMMITS} commits' distinct
     * updates and deletes. Until session 57 the cap was a twentieth: the 10k dataset of the default run took 500
     * changes, and its growth target compared 500 changes against 1,000 (BENCHMARKS.md).
     */
    static int changesAt(long n, int changes) {
        return (int) Math.min(changes, Math.max(10, n / 10));
    }

    /** Issue 17's commit and storage targets, on the smallest, middle and largest sizes measured. */
    private static void targets(Report report, List<ObjectNode> rows) {
        ObjectNode smallest = rows.get(0);
        ObjectNode largest = rows.get(rows.size() - 1);
        report.target("commit median grows at most 2x from the smallest to the largest size",
                largest.get("datalineCommitMillis").asDouble() <= 2 * smallest.get("datalineCommitMillis").asDouble(),
                describe(largest) + " vs " + describe(smallest));
        report.target("not slower than git at the smallest size", smallest.get("speedup").asDouble() >= 1, speedup(smallest));
        if (rows.size() == 3) {
            report.target("at least 3x faster than git at the middle size", rows.get(1).get("speedup").asDouble() >= 3, speedup(rows.get(1)));
        }
        report.target("at least 10x faster than git at the largest size", largest.get("speedup").asDouble() >= 10, speedup(largest));
        double storedMiB = largest.get("datalineStoredKiB").asDouble() / 1024;
        report.target("at most 5 MiB stored per commit at the largest size", storedMiB <= 5,
                String.format(java.util.Locale.ROOT, "%.1f MiB stored (%.1f MiB of chunks before compression) at %,d records; git %.1f MiB",
                        storedMiB, largest.get("datalineNewKiB").asDouble() / 1024, largest.get("records").asLong(),
                        largest.get("gitGrowthKiB").asDouble() / 1024));
    }

    private static String describe(ObjectNode row) {
        return String.format(java.util.Locale.ROOT, "%s ms at %,d records", Stats.format(row.get("datalineCommitMillis").asDouble()),
                row.get("records").asLong());
    }

    private static String speedup(ObjectNode row) {
        return String.format(java.util.Locale.ROOT, "%sx git at %,d records (%s ms vs git %s ms)", Stats.format(row.get("speedup").asDouble()),
                row.get("records").asLong(), Stats.format(row.get("datalineCommitMillis").asDouble()), Stats.format(row.get("gitMillis").asDouble()));
    }

    private record Measured(List<Double> millis, List<Double> roundTrips, List<Double> bytes, List<Double> storedBytes,
            List<Double> validationMillis, List<Double> fetchMillis, List<Double> writeMillis, List<Double> quietMillis, int treeFormat,
            ReadTimings.Measured reads) {
    }

    /**
     * Every timed commit starts once the previous version's pipeline (validation: these datasets have no training spec)
     * has ended and the machine has been quiet (waiting at most {@code quietMax}: zero for the untimed warm-up), so it is
     * measured on an otherwise idle stack, as git is; how long that validation took is reported too.
     */
    private Measured dataline(Context context, long n, int changes, long salt, java.time.Duration quietMax) throws Exception {
        String dataset = "bench-commit-scaling-" + n + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<Double> millis = new ArrayList<>();
        List<Double> trips = new ArrayList<>();
        List<Double> bytes = new ArrayList<>();
        List<Double> stored = new ArrayList<>();
        List<Double> validation = new ArrayList<>();
        List<Double> fetchMillis = new ArrayList<>();
        List<Double> writeMillis = new ArrayList<>();
        List<Double> quietMillis = new ArrayList<>();
        try (PipelineWatcher watcher = new PipelineWatcher(context.stack().kafkaBootstrap());
                Connection db = DriverManager.getConnection(context.stack().jdbcUrl("dataset_service"), "postgres", "")) {
            context.createDataset(dataset);
            context.api().stage(dataset, () -> ndjson(0, n, 0, salt));
            String previous = context.api().commit(dataset, "initial " + n + " records").hash();
            watcher.awaitValidated(previous, VALIDATION_TIMEOUT);
            String latest = previous;
            Set<Long> deleted = new HashSet<>();
            Random random = new Random(n);
            long next = n;
            List<String> present = List.of();
            for (int c = 1; c <= COMMITS; c++) {
                Change change = Change.next(random, n, next, changes, deleted, c);
                next += change.inserts.size();
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                for (long key : change.updates) {
                    body.write(Records.lineBytes(key, c, salt));
                }
                for (long key : change.inserts) {
                    body.write(Records.lineBytes(key, 0, salt));
                }
                context.api().stage(dataset, () -> new ByteArrayInputStream(body.toByteArray()));
                for (long key : change.deletes) {
                    context.api().delete(dataset, Records.key(key));
                }
                long[] before = chunkBytes(db);
                // the version's dataset.validated event is not the end of the work its commit set off (the event's other
                // consumers go on for a while): git commits on an idle machine, and so does this one
                quietMillis.add(Machine.awaitQuiet(quietMax) / 1e6);
                Api.Commit commit = context.api().commit(dataset, "change " + c);
                long[] after = chunkBytes(db);
                bytes.add((double) (after[0] - before[0]));
                stored.add((double) (after[1] - before[1]));
                millis.add(commit.serverMillis());
                trips.add(commit.roundTripMillis());
                fetchMillis.add(commit.chunkFetchMillis());
                writeMillis.add(commit.chunkWriteMillis());
                validation.add((watcher.awaitValidated(commit.hash(), VALIDATION_TIMEOUT) - commit.answeredNanos()) / 1e6);
                previous = latest;
                latest = commit.hash();
                present = change.updates.stream().map(Records::key).toList();
            }
            int format = context.api().get("/datasets/" + Api.segment(dataset) + "/versions/" + latest).path("treeFormat").asInt();
            return new Measured(millis, trips, bytes, stored, validation, fetchMillis, writeMillis, quietMillis, format,
                    ReadTimings.measure(context.api(), dataset, previous, latest, present));
        }
    }

    /** One commit's change: distinct keys, none of them deleted before. */
    record Change(List<Long> updates, List<Long> inserts, List<Long> deletes) {
        static Change next(Random random, long n, long nextKey, int changes, Set<Long> deleted, int commit) {
            int updates = changes * 7 / 10;
            int deletes = changes / 10;
            int inserts = changes - updates - deletes;
            Set<Long> used = new HashSet<>();
            List<Long> up = pick(random, n, updates, deleted, used);
            List<Long> del = pick(random, n, deletes, deleted, used);
            deleted.addAll(del);
            List<Long> in = new ArrayList<>();
            for (int i = 0; i < inserts; i++) {
                in.add(nextKey + i);
            }
            up.sort(null);
            return new Change(up, in, del);
        }

        private static List<Long> pick(Random random, long n, int count, Set<Long> deleted, Set<Long> used) {
            List<Long> keys = new ArrayList<>();
            if (n - deleted.size() - used.size() < 2L * count) {
                throw new IllegalArgumentException("a dataset of " + n + " records cannot take " + count + " more distinct changes");
            }
            while (keys.size() < count) {
                long key = (long) (random.nextDouble() * n);
                if (!deleted.contains(key) && used.add(key)) {
                    keys.add(key);
                }
            }
            return keys;
        }
    }

    /** Records [from, to) at a revision as one NDJSON stream, generated on the fly. */
    static InputStream ndjson(long from, long to, int revision, long salt) {
        return new SequenceInputStream(new Enumeration<InputStream>() {
            long next = from;

            @Override
            public boolean hasMoreElements() {
                return next < to;
            }

            @Override
            public InputStream nextElement() {
                ByteArrayOutputStream batch = new ByteArrayOutputStream(1 << 20);
                long end = Math.min(to, next + 4096);
                for (; next < end; next++) {
                    batch.writeBytes(Records.lineBytes(next, revision, salt));
                }
                return new ByteArrayInputStream(batch.toByteArray());
            }
        });
    }

    /** Bytes of all chunks: their encodings, and what PostgreSQL stores of them (after its TOAST compression). */
    static long[] chunkBytes(Connection db) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT coalesce(sum(octet_length(data)), 0), coalesce(sum(pg_column_size(data)), 0) FROM chunk")) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2)};
        }
    }

    static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }
}
