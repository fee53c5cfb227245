package io.dataline.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/** One benchmark suite: a name, a default size (what {@code --size} overrides) and the run itself. */
abstract class Suite {

    /**
     * What a suite may use: the running local stack (null for suites that need none), the repository's root, scratch
     * space, progress output, {@code slowRecords} ({@code --slow-stage N}: the size of the one slow version
     * {@code restarts} adds, 0 for none) and {@code treeFormat} ({@code --tree-format N}: the tree format of
     * commit-scaling's datasets, 0 for the one dataset-service gives new datasets) and {@code datasets}
     * ({@code --datasets N}: how many datasets restarts loads at once, 0 for its own count), and {@code quietMax}
     * ({@code DATALINE_BENCH_QUIET_MAX_SECONDS}, default {@value Bench#QUIET_MAX_SECONDS}): the longest a timed commit of
     * commit-scaling waits for the machine to be quiet ({@link Machine#awaitQuiet}; 0 times it at once, as the bench's own
     * tests do).
     */
    record Context(io.dataline.local.RunningStack stack, Api api, Path root, Path scratch, PrintStream out, long slowRecords,
            int treeFormat, int datasets, java.time.Duration quietMax) {
        void progress(String format, Object... args) {
            out.printf("  " + format + "%n", args);
        }

        /**
         * Creates a dataset for a suite's records: in dataset-service's format for new datasets, or, with
         * {@code --tree-format}, in that one (set in its row before its first commit, as datasets created before a newer
         * format have theirs; the API never lets a client choose): for an A/B of the formats in one checkout.
         */
        void createDataset(String name) throws Exception {
            api.createDataset(name, null);
            if (treeFormat == 0) {
                return;
            }
            try (java.sql.Connection db = java.sql.DriverManager.getConnection(stack.jdbcUrl("dataset_service"), "postgres", "");
                    java.sql.PreparedStatement update = db.prepareStatement("UPDATE dataset SET tree_format = ? WHERE name = ? AND head IS NULL")) {
                update.setShort(1, (short) treeFormat);
                update.setString(2, name);
                if (update.executeUpdate() != 1) {
                    throw new IllegalStateException("cannot set the tree format of " + name);
                }
            }
        }
    }

    /**
     * What a suite is: its name on the command line, what its size means (for the usage text and the report), the size
     * it runs at by default, and whether it needs the local stack running.
     */
    record Spec(String name, String sizeMeaning, long defaultSize, boolean needsStack) {
    }

    private final Spec spec;

    Suite(String name, String sizeMeaning, long defaultSize, boolean needsStack) {
        this.spec = new Spec(name, sizeMeaning, defaultSize, needsStack);
    }

    final Spec spec() {
        return spec;
    }

    /** How many records a suite changes per commit in a dataset of {@code size}: size / divisor, 10 to 1,000. */
    static int changesFor(long size, long divisor) {
        return (int) Math.max(10, Math.min(1000, size / divisor));
    }

    /** Runs the suite at {@code size}, writing its tables and figures into {@code report}. */
    abstract void run(Context context, long size, Report report) throws Exception;
}
