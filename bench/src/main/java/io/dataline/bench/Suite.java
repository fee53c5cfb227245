package io.dataline.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/** One benchmark suite: a name, a default size (what {@code --size} overrides) and the run itself. */
interface Suite {

    /** What a suite may use: the running local stack (null for suites that need none), scratch space, progress output. */
    record Context(io.dataline.local.RunningStack stack, Api api, Path scratch, PrintStream out) {
        void progress(String format, Object... args) {
            out.printf("  " + format + "%n", args);
        }
    }

    String name();

    /** What the size means, for the usage text and the report. */
    String sizeMeaning();

    long defaultSize();

    boolean needsStack();

    Report run(Context context, long size) throws Exception;
}
