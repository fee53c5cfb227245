package io.dataline.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dataline.client.Dataline;
import io.dataline.client.DatalineException;
import io.dataline.client.DatasetHandle;
import io.dataline.client.Pipeline;
import io.dataline.client.PullRequestHandle;
import io.dataline.client.Version;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command-line client of dataset-service, for people and CI jobs ({@code DATALINE_URL}, default
 * {@code http://127.0.0.1:8080}, and {@code DATALINE_API_KEY}):
 * {@code commit <dataset> <file.ndjson|file.csv> -m <message>}, {@code log <dataset>}, {@code diff <dataset> <from> <to>},
 * {@code pipeline <dataset> <hash> [--follow]}, {@code export <dataset> <hash> [--format csv|ndjson]}.
 * Exit codes: 0 done; 1 the API refused or did not answer (the reason on stderr); 2 usage; 3 the version's pipeline
 * ended in a failure or a rejected promotion ({@code pipeline --follow}); 4 it did not end within the wait.
 */
final class Cli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int PIPELINE_REJECTED = 3;
    static final int PIPELINE_TIMEOUT = 4;
    static final List<String> COMMANDS = List.of("commit", "log", "diff", "pipeline", "export", "branch", "pr");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    Cli(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    int run(String... args) {
        try {
            String key = env.get("DATALINE_API_KEY");
            if (key == null || key.isBlank()) {
                err.println("dataline: set DATALINE_API_KEY (and DATALINE_URL unless dataset-service is at http://127.0.0.1:8080)");
                return USAGE;
            }
            Dataline dataline = Dataline.connect(env.getOrDefault("DATALINE_URL", "http://127.0.0.1:8080"), key);
            return switch (args[0]) {
                case "commit" -> commit(dataline, args);
                case "log" -> log(dataline, args);
                case "diff" -> diff(dataline, args);
                case "pipeline" -> pipeline(dataline, args);
                case "export" -> export(dataline, args);
                case "branch" -> branch(dataline, args);
                case "pr" -> pullRequest(dataline, args);
                default -> usage("unknown command " + args[0]);
            };
        } catch (DatalineException e) {
            err.println("dataline: " + (e.status() == 0 ? "" : e.status() + " ") + e.getMessage());
            e.errors().stream().limit(20).forEach(error -> err.println("  " + error));
            return FAILED;
        } catch (IOException e) {
            err.println("dataline: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private int usage(String problem) {
        err.println("dataline: " + problem);
        err.println("usage: ./dataline commit <dataset> <file.ndjson|file.csv> -m <message> [--branch <name>]");
        err.println("       ./dataline log <dataset> [--branch <name>]");
        err.println("       ./dataline pr create <dataset> <from> <into> -m <title> | show|merge|close|checks <dataset> <number>");
        err.println("       ./dataline branch create <dataset> <name> [--from <branch|tag|version>] | list <dataset> | delete <dataset> <name>");
        err.println("       ./dataline diff <dataset> <from> <to>");
        err.println("       ./dataline pipeline <dataset> <hash> [--follow] [--timeout 10m]");
        err.println("       ./dataline export <dataset> <hash> [--format csv|ndjson]");
        return USAGE;
    }

    private int commit(Dataline dataline, String[] args) throws IOException {
        boolean onBranch = args.length == 7 && args[5].equals("--branch");
        if ((args.length != 5 && !onBranch) || !args[3].equals("-m")) {
            return usage("commit needs <dataset> <file> -m <message> [--branch <name>]");
        }
        Path file = Path.of(args[2]);
        if (!Files.isRegularFile(file)) {
            return usage("no file " + file);
        }
        DatasetHandle dataset = onBranch ? dataline.dataset(args[1]).branch(args[6]) : dataline.dataset(args[1]);
        Path ndjson = file.toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? CsvToNdjson.convert(file) : file;
        long size = Files.size(ndjson);
        JsonNode staged;
        try (InputStream in = Files.newInputStream(ndjson)) {
            staged = dataset.addNdjson(in, sent -> progress(sent, size));
        } finally {
            err.println();
            if (ndjson != file) {
                Files.deleteIfExists(ndjson);
            }
        }
        if (staged.path("staged").asLong() == 0) {
            out.println("nothing new: all " + staged.path("unchanged").asLong() + " records are already in the head of " + args[1]);
            return OK;
        }
        Version version = dataset.commit(args[4]);
        out.printf("%s  %d records (+%d ~%d -%d)  %s%n", version.hash(), version.recordCount(), version.added(), version.updated(), version.deleted(),
                version.message());
        return OK;
    }

    private void progress(long sent, long size) {
        int percent = size == 0 ? 100 : (int) Math.min(100, sent * 100 / size);
        int bars = percent / 5;
        err.printf(Locale.ROOT, "\r[%s%s] %3d%% %.1f MB", "#".repeat(bars), " ".repeat(20 - bars), percent, sent / 1e6);
    }

    private int log(Dataline dataline, String[] args) {
        boolean onBranch = args.length == 4 && args[2].equals("--branch");
        if (args.length != 2 && !onBranch) {
            return usage("log needs <dataset> [--branch <name>]");
        }
        for (Version v : (onBranch ? dataline.dataset(args[1]).branch(args[3]) : dataline.dataset(args[1])).versions()) {
            out.printf("%s  %s  %-16s %8d records (+%d ~%d -%d)  %s%n", v.hash().substring(0, 12), v.committedAt(),
                    v.author() == null ? "" : v.author(), v.recordCount(), v.added(), v.updated(), v.deleted(), v.message());
        }
        return OK;
    }

    private int diff(Dataline dataline, String[] args) throws IOException {
        if (args.length != 4) {
            return usage("diff needs <dataset> <from> <to>");
        }
        JsonNode diff = dataline.dataset(args[1]).diff(args[2], args[3]);
        out.printf("%d added, %d removed, %d changed%n", diff.path("addedCount").asLong(), diff.path("removedCount").asLong(),
                diff.path("changedCount").asLong());
        diff.path("added").forEach(r -> out.println("+ " + r));
        diff.path("removed").forEach(r -> out.println("- " + r));
        diff.path("changed").forEach(r -> out.println("~ " + r));
        if (diff.path("truncated").asBoolean()) {
            out.println("(more changes than shown: use the API's offset and limit)");
        }
        return OK;
    }

    private int pipeline(Dataline dataline, String[] args) throws InterruptedException {
        if (args.length < 3) {
            return usage("pipeline needs <dataset> <hash>");
        }
        boolean follow = false;
        Duration timeout = Duration.ofMinutes(10);
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--follow")) {
                follow = true;
            } else if (args[i].equals("--timeout") && i + 1 < args.length) {
                timeout = Duration.parse("PT" + args[++i].toUpperCase(Locale.ROOT));
            } else {
                return usage("unexpected " + args[i]);
            }
        }
        DatasetHandle dataset = dataline.dataset(args[1]);
        Pipeline pipeline = follow ? dataset.follow(args[2], timeout, this::print) : dataset.pipeline(args[2]);
        if (!follow) {
            pipeline.stages().forEach(this::print);
        }
        if (pipeline.rejected()) {
            return PIPELINE_REJECTED;
        }
        if (pipeline.finished()) {
            out.println("outcome: " + (pipeline.outcome() == null ? "done" : pipeline.outcome()));
        }
        return follow && !pipeline.finished() ? PIPELINE_TIMEOUT : OK;
    }

    private void print(Pipeline.Stage stage) {
        JsonNode detail = stage.detail();
        String note = detail == null ? "" : detail.hasNonNull("reason") ? detail.path("reason").asText()
                : detail.hasNonNull("modelVersion") ? "model v" + detail.path("modelVersion").asInt() : "";
        out.printf("%s  %-10s %-11s %s%s%n", stage.at(), stage.stage(), stage.status(), note, stage.link() == null ? "" : "  " + stage.link());
    }

    private int export(Dataline dataline, String[] args) throws IOException {
        String format = "ndjson";
        if (args.length == 5 && args[3].equals("--format")) {
            format = args[4];
        } else if (args.length != 3) {
            return usage("export needs <dataset> <hash> [--format csv|ndjson]");
        }
        if (!format.equals("csv") && !format.equals("ndjson")) {
            return usage("--format is csv or ndjson");
        }
        try (InputStream in = dataline.dataset(args[1]).export(args[2], format)) {
            in.transferTo(out);
        }
        out.flush();
        return OK;
    }

    private int branch(Dataline dataline, String[] args) {
        String action = args.length > 1 ? args[1] : "";
        if (action.equals("list") && args.length == 3) {
            for (JsonNode branch : dataline.dataset(args[2]).branches()) {
                out.printf("%-30s %s%s%n", branch.path("name").asText(), branch.path("version").asText("(no version yet)"),
                        branch.path("isDefault").asBoolean() ? "  (default)" : "");
            }
            return OK;
        }
        if (action.equals("create") && (args.length == 4 || (args.length == 6 && args[4].equals("--from")))) {
            JsonNode created = dataline.dataset(args[2]).createBranch(args[3], args.length == 6 ? args[5] : null);
            out.printf("%s  created at %s%n", created.path("name").asText(), created.path("version").asText());
            return OK;
        }
        if (action.equals("delete") && args.length == 4) {
            dataline.dataset(args[2]).deleteBranch(args[3]);
            out.println(args[3] + "  deleted (its versions stay)");
            return OK;
        }
        return usage("branch needs create <dataset> <name> [--from <ref>], list <dataset> or delete <dataset> <name>");
    }

    private int pullRequest(Dataline dataline, String[] args) {
        String action = args.length > 1 ? args[1] : "";
        if (action.equals("create") && args.length == 7 && args[5].equals("-m")) {
            PullRequestHandle pull = dataline.dataset(args[2]).branch(args[3]).openPullRequest(args[4], args[6], null);
            out.printf("#%d  %s -> %s  open%n", pull.number(), args[3], args[4]);
            return OK;
        }
        if (List.of("show", "merge", "close").contains(action) && args.length == 4 && args[3].matches("[0-9]{1,9}")) {
            PullRequestHandle pull = dataline.dataset(args[2]).pullRequest(Integer.parseInt(args[3]));
            JsonNode shown = switch (action) {
                case "merge" -> pull.merge(null);
                case "close" -> pull.close();
                default -> pull.show();
            };
            out.printf("#%d  %s -> %s  %s  %s%n", shown.path("number").asInt(), shown.path("from").asText(), shown.path("into").asText(),
                    shown.path("state").asText(), shown.path("title").asText());
            if (shown.hasNonNull("mergeVersion")) {
                out.println("merged as " + shown.path("mergeVersion").asText());
            } else if (shown.hasNonNull("mergeBase")) {
                out.println("from " + shown.path("fromHead").asText() + " into " + shown.path("intoHead").asText() + ", merge base "
                        + shown.path("mergeBase").asText());
            }
            return OK;
        }
        if (action.equals("checks") && (args.length == 4 || args.length == 5 && args[4].equals("--wait")) && args[3].matches("[0-9]{1,9}")) {
            return checks(dataline.dataset(args[2]).pullRequest(Integer.parseInt(args[3])), args.length == 5);
        }
        return usage("pr needs create <dataset> <from> <into> -m <title>, show|merge|close <dataset> <number>, or checks <dataset> <number> [--wait]");
    }

    /**
     * A pull request's checks, one line per stage; exit 0 when they succeeded, {@value #PIPELINE_REJECTED} when they
     * failed, {@value #PIPELINE_TIMEOUT} while pending (after waiting up to ten minutes with {@code --wait}).
     */
    private int checks(PullRequestHandle pull, boolean wait) {
        JsonNode checks;
        try {
            checks = wait ? pull.awaitChecks(java.time.Duration.ofMinutes(10)) : pull.checks();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
        out.printf("#%d  checks of %s on %s: %s%n", checks.path("number").asInt(), checks.path("from").asText(), checks.path("head").asText(),
                checks.path("state").asText());
        for (JsonNode stage : checks.path("stages")) {
            out.printf("  %-11s %s%n", stage.path("stage").asText(), stage.path("status").asText());
        }
        out.println(checks.path("summary").asText());
        return switch (checks.path("state").asText()) {
            case "success" -> OK;
            case "failure" -> PIPELINE_REJECTED;
            default -> PIPELINE_TIMEOUT;
        };
    }
}
