package io.dataline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * commit-scaling: 1,000 changed records (70% updates, 20% inserts, 10% deletes) committed into datasets of size/100,
 * size/10 and size records. Reports the server's commit time (Server-Timing; median of several commits) and the new
 * storage each commit wrote (bytes of new chunks), next to the same datasets as one NDJSON file in a git repository
 * with the same change applied: {@code git add} + {@code git commit} time and repository growth.
 */
final class CommitScaling extends Suite {

    static final int COMMITS = 5;

    CommitScaling() {
        super("commit-scaling", "records of the largest dataset (the others are size/10 and size/100)", 1_000_000, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        int changes = changesFor(size, 100);
        report.json().put("changedRecordsPerCommit", changes).put("commitsPerSize", COMMITS);
        Report.Table table = report.table("sizes", "commit-scaling: up to " + changes + " changed records per commit (70% updates, "
                + "20% inserts, 10% deletes), median of " + COMMITS + " commits",
                "records", "records", "changed", "changed", "dataline commit ms", "datalineCommitMillis", "client round trip ms", "datalineRoundTripMillis",
                "new storage KiB", "datalineNewKiB", "git add+commit ms", "gitMillis", "git growth KiB", "gitGrowthKiB",
                "git / dataline", "speedup");
        List<long[]> sizes = new ArrayList<>();
        for (long n : new long[] {Math.max(changes, size / 100), Math.max(changes, size / 10), size}) {
            if (sizes.stream().noneMatch(s -> s[0] == n)) {
                sizes.add(new long[] {n});
            }
        }
        double smallest = Double.NaN;
        double largest = Double.NaN;
        double largestSpeedup = Double.NaN;
        for (long[] entry : sizes) {
            long n = entry[0];
            context.progress("dataset of %,d records: loading...", n);
            ObjectNode row = table.row();
            int changed = (int) Math.min(changes, Math.max(10, n / 20)); // a small dataset cannot take 1,000 changes 5 times
            row.put("records", n).put("changed", changed);
            long salt = Records.freshSalt(); // same bytes for both sides, never seen before by the stack
            Measured ours = dataline(context, n, changed, salt);
            Measured git = git(context, n, changed, salt);
            row.put("datalineCommitMillis", Stats.median(ours.millis)).put("datalineRoundTripMillis", Stats.median(ours.roundTrips))
                    .put("datalineNewKiB", Stats.median(ours.bytes) / 1024).put("gitMillis", Stats.median(git.millis))
                    .put("gitGrowthKiB", Stats.median(git.bytes) / 1024)
                    .put("speedup", Stats.median(git.millis) / Stats.median(ours.millis));
            row.putPOJO("datalineCommitMillisAll", ours.millis).putPOJO("gitMillisAll", git.millis);
            if (Double.isNaN(smallest)) {
                smallest = Stats.median(ours.millis);
            }
            largest = Stats.median(ours.millis);
            largestSpeedup = Stats.median(git.millis) / Stats.median(ours.millis);
            context.progress("  dataline %s ms, git %s ms", Stats.format(Stats.median(ours.millis)), Stats.format(Stats.median(git.millis)));
        }
        report.target("commit latency flat in dataset size", largest <= Math.max(2 * smallest, smallest + 20),
                String.format(java.util.Locale.ROOT, "%s ms at %,d records vs %s ms at %,d", Stats.format(largest), size,
                        Stats.format(smallest), sizes.get(0)[0]));
        report.target("at the largest size at least 10x faster than git", largestSpeedup >= 10,
                Stats.format(largestSpeedup) + "x at " + String.format("%,d", size) + " records");
        report.note("dataline new storage = bytes of the tree chunks the commit added (content-addressed, shared); "
                + "git growth = growth of .git after git add + git commit (loose zlib objects, no gc)");
    }

    private record Measured(List<Double> millis, List<Double> roundTrips, List<Double> bytes) {
    }

    private Measured dataline(Context context, long n, int changes, long salt) throws Exception {
        String dataset = "bench-commit-scaling-" + n + "-" + UUID.randomUUID().toString().substring(0, 8);
        context.api().createDataset(dataset, null);
        context.api().stage(dataset, () -> ndjson(0, n, 0, salt));
        context.api().commit(dataset, "initial " + n + " records");
        Set<Long> deleted = new HashSet<>();
        Random random = new Random(n);
        List<Double> millis = new ArrayList<>();
        List<Double> trips = new ArrayList<>();
        List<Double> bytes = new ArrayList<>();
        long next = n;
        try (Connection db = DriverManager.getConnection(context.stack().jdbcUrl("dataset_service"), "postgres", "")) {
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
                long before = chunkBytes(db);
                Api.Commit commit = context.api().commit(dataset, "change " + c);
                bytes.add((double) (chunkBytes(db) - before));
                millis.add(commit.serverMillis());
                trips.add(commit.roundTripMillis());
            }
        }
        return new Measured(millis, trips, bytes);
    }

    private Measured git(Context context, long n, int changes, long salt) throws Exception {
        Path repo = Files.createTempDirectory(context.scratch(), "git-" + n + "-");
        try {
            run(repo, "git", "init", "-q");
            run(repo, "git", "config", "user.email", "bench@dataline.invalid");
            run(repo, "git", "config", "user.name", "bench");
            run(repo, "git", "config", "gc.auto", "0");
            Path file = repo.resolve("dataset.ndjson");
            try (InputStream in = ndjson(0, n, 0, salt)) {
                Files.copy(in, file);
            }
            run(repo, "git", "add", "dataset.ndjson");
            run(repo, "git", "commit", "-q", "-m", "initial");
            Set<Long> deleted = new HashSet<>();
            Random random = new Random(n);
            List<Double> millis = new ArrayList<>();
            List<Double> bytes = new ArrayList<>();
            long next = n;
            for (int c = 1; c <= COMMITS; c++) {
                Change change = Change.next(random, n, next, changes, deleted, c);
                next += change.inserts.size();
                apply(file, change, c, salt);
                long before = size(repo.resolve(".git"));
                long started = System.nanoTime();
                run(repo, "git", "add", "dataset.ndjson");
                run(repo, "git", "commit", "-q", "-m", "change " + c);
                millis.add(Stats.millis(started, System.nanoTime()));
                bytes.add((double) (size(repo.resolve(".git")) - before));
            }
            return new Measured(millis, List.of(), bytes);
        } finally {
            delete(repo);
        }
    }

    /** The same change as the service gets, applied to the sorted NDJSON file (one record per line, in key order). */
    private static void apply(Path file, Change change, int revision, long salt) throws IOException {
        TreeMap<String, String> replacements = new TreeMap<>();
        for (long key : change.updates) {
            replacements.put(Records.key(key), Records.line(key, revision, salt));
        }
        Set<String> deletes = new HashSet<>();
        change.deletes.forEach(k -> deletes.add(Records.key(k)));
        Path next = file.resolveSibling("dataset.ndjson.next");
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                BufferedWriter out = Files.newBufferedWriter(next, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                String key = line.substring(7, 17);
                if (deletes.contains(key)) {
                    continue;
                }
                out.write(replacements.getOrDefault(key, line));
                out.write('\n');
            }
            for (long key : change.inserts) {
                out.write(Records.line(key, 0, salt));
                out.write('\n');
            }
        }
        Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
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

    static long chunkBytes(Connection db) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery("SELECT coalesce(sum(octet_length(data)), 0) FROM chunk")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
