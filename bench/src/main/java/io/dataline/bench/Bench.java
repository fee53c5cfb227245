package io.dataline.bench;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.local.RunningStack;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./dataline bench <suite|all> [--size N] [--slow-stage RECORDS] [--tree-format 1|2|3|4] [--out file.json]}: runs benchmark suites against the local stack
 * (started when none runs, stopped again afterwards if this run started it), prints a table per suite and writes a
 * JSON result with the machine it ran on.
 */
public final class Bench {

    static final List<Suite> SUITES = List.of(new CommitScaling(), new Ingest(), new PipelineLatency(), new Throughput(), new TreeSuite(),
            new Restarts(), new Accuracy(), new MergeSuite(), new ConsoleSuite(), new Scale());

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    Bench(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** The default of {@code DATALINE_BENCH_QUIET_MAX_SECONDS} ({@link Suite.Context#quietMax}). */
    static final int QUIET_MAX_SECONDS = 10;
    /** Held so the level is not garbage-collected away: the Kafka clients' INFO chatter would bury the tables. */
    private static final java.util.logging.Logger KAFKA_LOGGER = java.util.logging.Logger.getLogger("org.apache.kafka");
    /** The same for Tribuo, which reports every training (the accuracy suite's SGD column) at INFO. */
    private static final java.util.logging.Logger TRIBUO_LOGGER = java.util.logging.Logger.getLogger("org.tribuo");

    public static void main(String[] args) {
        KAFKA_LOGGER.setLevel(java.util.logging.Level.WARNING);
        TRIBUO_LOGGER.setLevel(java.util.logging.Level.WARNING);
        System.exit(new Bench(System.getenv(), System.out, System.err).run(args));
    }

    int run(String[] args) {
        if (args.length < 1 || args[0].startsWith("-")) {
            return usage(null);
        }
        List<Suite> chosen = new ArrayList<>();
        if (args[0].equals("all")) {
            chosen.addAll(SUITES);
        } else {
            SUITES.stream().filter(s -> s.spec().name().equals(args[0])).forEach(chosen::add);
            if (chosen.isEmpty()) {
                return usage("unknown suite: " + args[0]);
            }
        }
        Long size = null;
        long slowRecords = 0;
        int treeFormat = 0;
        int replicas = 0;
        int datasets = 0;
        Path outFile = null;
        for (int i = 1; i < args.length; i++) {
            if ((args[i].equals("--size") || args[i].equals("--slow-stage")) && i + 1 < args.length) {
                long count = count(args[i + 1]);
                if (count < 1) {
                    return usage(args[i] + " needs a whole number, at least 1");
                }
                if (args[i].equals("--size")) {
                    size = count;
                } else {
                    slowRecords = count;
                }
                i++;
            } else if (args[i].equals("--tree-format") && i + 1 < args.length) {
                treeFormat = (int) count(args[++i]);
                if (treeFormat < 1 || treeFormat > 4) {
                    return usage("--tree-format is 1, 2, 3 or 4");
                }
            } else if (args[i].equals("--replicas") && i + 1 < args.length) {
                replicas = (int) count(args[++i]);
                if (replicas < 1 || replicas > 8) {
                    return usage("--replicas is 1 to 8");
                }
            } else if (args[i].equals("--datasets") && i + 1 < args.length) {
                datasets = (int) Math.min(count(args[++i]), Integer.MAX_VALUE);
                if (datasets < 1 || datasets > 100) {
                    return usage("--datasets is 1 to 100");
                }
            } else if (args[i].equals("--out") && i + 1 < args.length) {
                outFile = Path.of(args[++i]);
            } else {
                return usage("unexpected " + args[i]);
            }
        }
        if (slowRecords > 0 && chosen.stream().noneMatch(s -> s instanceof Restarts)) {
            return usage("--slow-stage applies to the restarts suite");
        }
        if (datasets > 0 && chosen.stream().noneMatch(s -> s instanceof Restarts)) {
            return usage("--datasets applies to the restarts suite");
        }
        if (treeFormat != 0 && chosen.stream().noneMatch(s -> s instanceof CommitScaling || s instanceof Ingest)) {
            return usage("--tree-format applies to the commit-scaling and ingest suites");
        }
        if (outFile != null && chosen.size() > 1) {
            return usage("--out names one file; run one suite at a time with it");
        }
        Map<String, String> stackEnv = env;
        if (replicas > 0) {
            stackEnv = new java.util.HashMap<>(env);
            stackEnv.put("DATALINE_REPLICAS", Integer.toString(replicas));
        }
        java.time.Duration quietMax;
        try {
            double seconds = Double.parseDouble(env.getOrDefault("DATALINE_BENCH_QUIET_MAX_SECONDS", Integer.toString(QUIET_MAX_SECONDS)));
            if (!(seconds >= 0 && seconds <= 3600)) {
                throw new NumberFormatException();
            }
            quietMax = java.time.Duration.ofMillis(Math.round(seconds * 1000));
        } catch (NumberFormatException e) {
            return usage("DATALINE_BENCH_QUIET_MAX_SECONDS is a number of seconds, 0 to 3600");
        }
        Path root = Path.of(env.getOrDefault("DATALINE_ROOT", ".")).toAbsolutePath().normalize();
        RunningStack stack = null;
        int failures = 0;
        try {
            ObjectNode machine = Machine.describe();
            out.println("Machine: " + Machine.summary(machine));
            for (Suite suite : chosen) {
                if (suite.spec().needsStack() && stack == null) {
                    stack = RunningStack.ensureUp(root, stackEnv, out);
                    if (replicas > 0 && stack.replicas() != replicas) {
                        throw new IllegalStateException("the running stack has " + stack.replicas() + " replica(s) of each service, not "
                                + replicas + "; stop it first (./dataline down)");
                    }
                }
                long n = size == null ? suite.spec().defaultSize() : size;
                out.printf("%n== %s (size %,d: %s)%n", suite.spec().name(), n, suite.spec().sizeMeaning());
                Path home = stack != null ? stack.home() : root.resolve(".dataline");
                Path scratch = Files.createDirectories(home.resolve("bench/scratch"));
                Api api = stack == null ? null : new Api(stack.url("dataset-service"), stack.adminKey());
                Instant started = Instant.now();
                long t0 = System.nanoTime();
                Report report = new Report();
                suite.run(new Suite.Context(stack, api, root, scratch, out, slowRecords, treeFormat, datasets, quietMax), n, report);
                double seconds = Stats.millis(t0, System.nanoTime()) / 1000;
                report.print(out);
                ObjectNode json = Api.JSON.createObjectNode();
                json.put("suite", suite.spec().name()).put("size", n).put("sizeMeaning", suite.spec().sizeMeaning())
                        .put("startedAt", started.toString()).put("seconds", seconds).set("machine", machine);
                json.put("datalineCommit", codeCommit(root));
                if (stack != null) {
                    json.put("replicas", stack.replicas()).put("partitions", stack.partitions());
                }
                json.setAll(report.json());
                Path file = outFile != null ? outFile : home.resolve("bench").resolve(suite.spec().name() + "-"
                        + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started) + ".json");
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, Api.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json));
                out.printf("%n  %s took %.0f s; result: %s%n", suite.spec().name(), seconds, file);
            }
        } catch (Exception e) {
            err.println("bench: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            failures++;
        } finally {
            if (stack != null && stack.startedHere()) {
                try {
                    out.println("Stopping the local stack this run started...");
                    stack.stopIfStartedHere();
                } catch (Exception e) {
                    err.println("bench: could not stop the stack: " + e.getMessage());
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /** A whole number as typed ({@code 1_000_000}, {@code 1,000,000}); 0 when it is not one. */
    private static long count(String text) {
        try {
            return Long.parseLong(text.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String codeCommit(Path root) {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").directory(root.toFile()).redirectErrorStream(true).start();
            String head = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor() == 0 ? head : null;
        } catch (Exception e) {
            return null;
        }
    }

    private int usage(String problem) {
        if (problem != null) {
            err.println("bench: " + problem);
        }
        err.println("usage: ./dataline bench <suite|all> [--size N] [--slow-stage RECORDS] [--tree-format 1|2|3|4] [--replicas N] [--datasets N] [--out result.json]");
        for (Suite suite : SUITES) {
            err.printf("  %-17s size = %s (default %,d)%n", suite.spec().name(), suite.spec().sizeMeaning(), suite.spec().defaultSize());
        }
        err.println("--slow-stage RECORDS: restarts also commits one version of that many records, whose validation is the slow stage.");
        err.println("--replicas N: start the stack with N replicas of each service (./dataline up --replicas N); the result records it.");
        err.println("--datasets N: restarts loads that many datasets at once instead of " + Restarts.DATASETS + " (1 to 100).");
        err.println("--tree-format 1|2|3|4: commit-scaling's and ingest's datasets in that tree format (1 to 3: as datasets created before formats 2, 3 and 4 are).");
        err.println("DATALINE_BENCH_QUIET_MAX_SECONDS (default " + QUIET_MAX_SECONDS + "): the longest commit-scaling waits for a quiet machine before each timed commit (0: none).");
        err.println("Starts the local stack when none runs (and stops it afterwards); results go to .dataline/bench/ unless --out.");
        return 2;
    }
}
