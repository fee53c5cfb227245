package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * ingest: {@code size} records (about 200 bytes each) streamed as NDJSON through {@code POST /records} and committed,
 * and as many other records (into a second new dataset) as a one-shot commit ({@code POST /commits} with the NDJSON
 * body, no staging table), the fastest way in, which the target is measured on. Each of the two commits stores records
 * the stack has never seen: the same records twice would find their chunks stored and skip writing them.
 * In the same run, on the one-shot's bytes, the two physical references: {@code sha256sum} of the file and PostgreSQL
 * {@code COPY} of the same rows (key and record) into a plain table on the stack's own PostgreSQL.
 */
final class Ingest extends Suite {

    Ingest() {
        super("ingest", "records streamed and committed", 1_000_000, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        Path file = context.scratch().resolve("ingest-" + size + ".ndjson");
        try (InputStream in = CommitScaling.ndjson(0, size, 0, Records.freshSalt())) { // data the stack has never stored
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        long bytes = Files.size(file);
        Path oneShotFile = context.scratch().resolve("ingest-" + size + "-one-shot.ndjson");
        try (InputStream in = CommitScaling.ndjson(0, size, 0, Records.freshSalt())) { // the same shape, other records
            Files.copy(in, oneShotFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        long oneShotBytes = Files.size(oneShotFile);
        report.json().put("records", size).put("bytes", bytes).put("averageRecordBytes", (double) bytes / size);
        Report.Table table = report.table("rates", String.format("ingest: %,d records, %.1f MB (%.0f bytes per record)", size, bytes / 1e6,
                (double) bytes / size), "what", "what", "seconds", "seconds", "records/s", "recordsPerSecond", "MB/s", "megabytesPerSecond");
        try (PipelineWatcher watcher = new PipelineWatcher(context.stack().kafkaBootstrap())) {
            context.progress("dataline: POST /records (NDJSON, streamed) + commit...");
            String dataset = "bench-ingest-" + UUID.randomUUID().toString().substring(0, 8);
            context.createDataset(dataset);
            long started = System.nanoTime();
            JsonNode staged = context.api().stage(dataset, () -> {
                try {
                    return Files.newInputStream(file);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long stagedAt = System.nanoTime();
            Api.Commit commit = context.api().commit(dataset, "ingest " + size);
            long done = System.nanoTime();
            if (staged.path("staged").asLong() != size) {
                throw new IllegalStateException("staged " + staged + " of " + size + " records");
            }
            double staging = Stats.millis(started, done) / 1000;
            add(table, "dataline stage + commit", staging, size, bytes);
            add(table, "  of which POST /records", Stats.millis(started, stagedAt) / 1000, size, bytes);
            add(table, "  of which commit", commit.serverMillis() / 1000, size, bytes);
            // each version is validated (all its records) by the pipeline: nothing timed next shares the cores with that
            report.json().put("validationSeconds", (watcher.awaitValidated(commit.hash(), CommitScaling.VALIDATION_TIMEOUT)
                    - commit.answeredNanos()) / 1e9);

            context.progress("dataline: one-shot commit (POST /commits with the NDJSON body)...");
            String oneShotDataset = "bench-ingest-" + UUID.randomUUID().toString().substring(0, 8);
            context.createDataset(oneShotDataset);
            long oneShotStarted = System.nanoTime();
            Api.OneShot timed = context.api().commitNdjsonTimed(oneShotDataset, "ingest " + size, () -> {
                try {
                    return Files.newInputStream(oneShotFile);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            double ours = Stats.millis(oneShotStarted, System.nanoTime()) / 1000;
            JsonNode oneShot = timed.version();
            if (oneShot.path("recordCount").asLong() != size) {
                throw new IllegalStateException("the one-shot commit holds " + oneShot.path("recordCount") + " of " + size + " records");
            }
            add(table, "dataline one-shot commit", ours, size, oneShotBytes);
            // the server's split (Server-Timing): the body read, checked and sorted; then the tree built and stored,
            // of which the time it waited for the chunk rows' inserts (writer threads insert while the tree is built)
            add(table, "  of which intake", timed.intakeMillis() / 1000, size, oneShotBytes);
            add(table, "  of which tree", (timed.serverMillis() - timed.intakeMillis()) / 1000, size, oneShotBytes);
            add(table, "    of it waiting on chunk inserts", timed.chunkWriteMillis() / 1000, size, oneShotBytes);
            report.json().put("oneShotChunkInsertSeconds", timed.chunkInsertMillis() / 1000);
            report.json().put("oneShotNewChunkRows", timed.chunkWrites());
            int format = oneShot.path("treeFormat").asInt();
            report.json().put("treeFormat", format);
            report.note("tree format of these datasets: " + format + (context.treeFormat() == 0 ? " (dataset-service's for new datasets)" : " (--tree-format)"));
            watcher.awaitValidated(oneShot.path("hash").asText(), CommitScaling.VALIDATION_TIMEOUT);
            context.stack().peakRssBytes("dataset-service").ifPresent(rss -> {
                report.json().put("datasetServicePeakRssMiB", rss / 1048576.0);
                report.note(String.format(java.util.Locale.ROOT, "dataset-service peak resident memory (VmHWM) after both ingests: %.0f MiB "
                        + "(its heap is capped by -Xmx; the rest is metaspace, threads, buffers and the JIT)", rss / 1048576.0));
            });

            context.progress("sha256sum...");
            long hashStart = System.nanoTime();
            CommitScaling.run(context.scratch(), "sha256sum", oneShotFile.toString());
            double sha = Stats.millis(hashStart, System.nanoTime()) / 1000;
            add(table, "sha256sum (reference)", sha, size, oneShotBytes);

            context.progress("PostgreSQL COPY into a plain table...");
            double copy = copy(context, oneShotFile);
            add(table, "PostgreSQL COPY (reference)", copy, size, oneShotBytes);

            double slower = Math.max(sha, copy);
            report.target("at least half the rate of the slower reference", ours <= 2 * slower,
                    String.format(java.util.Locale.ROOT, "dataline (one-shot) %.0f records/s; slower reference %.0f records/s (%s); ratio %.2f",
                            size / ours, size / slower, sha > copy ? "sha256sum" : "COPY", slower / ours));
            report.note(String.format(java.util.Locale.ROOT, "the one-shot commit stored %,d new chunk rows; their inserts took %.2f s "
                    + "(%.1f us each; summed over the writer threads, which insert while the tree is built: the commit waited %.2f s for "
                    + "them); its records, like the staged ones, are new to the stack, so every chunk is written", timed.chunkWrites(),
                    timed.chunkInsertMillis() / 1000, timed.chunkInsertMillis() * 1000 / Math.max(1, timed.chunkWrites()),
                    timed.chunkWriteMillis() / 1000));
            report.note("dataline parses, validates against the JSON Schema, canonicalizes, stages and builds the content-addressed "
                    + "tree; COPY stores (id text, record jsonb) rows without indexes; sha256sum only reads and hashes the bytes");
            report.note(String.format(java.util.Locale.ROOT, "each step starts once the version before it was validated by the pipeline "
                    + "(that took %.1f s for the staged version)", report.json().get("validationSeconds").asDouble()));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(oneShotFile);
        }
    }

    private static void add(Report.Table table, String what, double seconds, long records, long bytes) {
        table.row().put("what", what).put("seconds", seconds).put("recordsPerSecond", records / seconds)
                .put("megabytesPerSecond", bytes / 1e6 / seconds);
    }

    /** COPY of (id, record) from the same NDJSON (one pass, tab-separated text format), into a fresh plain table. */
    private static double copy(Context context, Path file) throws Exception {
        try (Connection db = DriverManager.getConnection(context.stack().jdbcUrl("dataset_service"), "postgres", "")) {
            String table = "bench_copy_" + UUID.randomUUID().toString().substring(0, 8);
            try (Statement statement = db.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (id text, record jsonb)");
            }
            try {
                long started = System.nanoTime();
                try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    ((PGConnection) db).getCopyAPI().copyIn("COPY " + table + " (id, record) FROM STDIN", new CopyRows(lines));
                }
                return Stats.millis(started, System.nanoTime()) / 1000;
            } finally {
                try (Statement statement = db.createStatement()) {
                    statement.execute("DROP TABLE " + table);
                }
            }
        }
    }

    /** Turns NDJSON lines into COPY text rows: {@code id \t record}; the generated JSON has no tabs or backslashes. */
    private static final class CopyRows extends Reader {
        private final BufferedReader lines;
        private String pending = "";
        private int offset;

        CopyRows(BufferedReader lines) {
            this.lines = lines;
        }

        @Override
        public int read(char[] buffer, int off, int len) throws java.io.IOException {
            while (offset >= pending.length()) {
                String line = lines.readLine();
                if (line == null) {
                    return -1;
                }
                pending = line.substring(7, 17) + "\t" + line + "\n";
                offset = 0;
            }
            int n = Math.min(len, pending.length() - offset);
            pending.getChars(offset, offset + n, buffer, off);
            offset += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
