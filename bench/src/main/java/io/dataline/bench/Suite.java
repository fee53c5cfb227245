package io.dataline.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/** One benchmark suite: a name, a default size (what {@code --size} overrides) and the run itself. */
abstract class Suite {

    /**
     * What a suite may use: the running local stack (null for suites that need none), the repository's root, scratch
     * space, progress output, and {@code slowRecords} ({@code --slow-stage N}: the size of the one slow version
     * {@code restarts} adds, 0 for none).
     */
    record Context(io.dataline.local.RunningStack stack, Api api, Path root, Path scratch, PrintStream out, long slowRecords) {
        void progress(String format, Object... args) {
            out.printf("  " + format + "%n", args);
        }
    }

    private final String name;
    private final String sizeMeaning;
    private final long defaultSize;
    private final boolean needsStack;

    /** {@code sizeMeaning}: what the size means, for the usage text and the report. */
    Suite(String name, String sizeMeaning, long defaultSize, boolean needsStack) {
        this.name = name;
        this.sizeMeaning = sizeMeaning;
        this.defaultSize = defaultSize;
        this.needsStack = needsStack;
    }

    final String name() {
        return name;
    }

    final String sizeMeaning() {
        return sizeMeaning;
    }

    final long defaultSize() {
        return defaultSize;
    }

    final boolean needsStack() {
        return needsStack;
    }

    abstract Report run(Context context, long size) throws Exception;
}
