package io.dataline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.local.RunningStack;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * restarts: {@value #DATASETS} datasets (or {@code --datasets N}) commit for {@code size} seconds while each service in
 * turn is killed with SIGKILL and started again, then the whole stack is stopped gracefully and started again, all
 * mid-load. Clients retry what an outage refuses (commits with an Idempotency-Key, so a retried commit is never a
 * second version).
 * At the end every commit must have a complete lineage view with exactly one terminal stage, no stage that
 * announces a model version or a promotion twice, and no record dead-lettered during the run. Also measured: how
 * long each restart took to be healthy, and the lineage lag after it (a commit to its {@code committed} stage in the
 * view).
 */
final class Restarts extends Suite {

    static final int DATASETS = 10;
    private static final Duration OUTAGE_RETRY = Duration.ofMinutes(5);
    private static final Duration SETTLE = Duration.ofMinutes(10);

    private record Committed(String dataset, String version) {
    }

    Restarts() {
        super("restarts", "seconds of load across " + DATASETS + " datasets (or --datasets N) while every service is killed and the stack restarted", 240, true);
    }

    @Override
    void run(Context context, long size, Report report) throws Exception {
        RunningStack stack = context.stack();
        Api api = context.api();
        int datasetCount = context.datasets() > 0 ? context.datasets() : DATASETS;
        report.json().put("datasets", datasetCount).put("seconds", size);
        Map<String, Long> deadLettersBefore = DeadLetters.count(stack.kafkaBootstrap());
        List<String> datasets = new ArrayList<>();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        for (int d = 0; d < datasetCount; d++) {
            datasets.add("bench-restarts-" + d + "-" + tag);
            api.createDataset(datasets.get(d), Records.tinyPipeline());
        }
        String probe = "bench-restarts-probe-" + tag;
        api.createDataset(probe, null);

        List<Committed> committed = Collections.synchronizedList(new ArrayList<>());
        SlowStage slow = context.slowRecords() > 0 ? new SlowStage(tag, context.slowRecords()) : null;
        if (slow != null) {
            committed.add(new Committed(slow.dataset, slow.commit(api, context)));
        }
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(datasetCount);
        List<Future<?>> workers = new ArrayList<>();
        for (String dataset : datasets) {
            workers.add(pool.submit(() -> {
                for (int number = 1; loading.get(); number++) {
                    Api.Commit commit = commitRetrying(api, dataset, number, tag);
                    committed.add(new Committed(dataset, commit.hash()));
                    awaitComplete(api, dataset, commit.hash(), Duration.ofSeconds(2));
                }
                return null;
            }));
        }
        pool.shutdown();

        Report.Table restarts = report.table("restarts", "restarts under load", "what", "what", "seconds until healthy", "seconds",
                "lineage lag ms", "lagMillis");
        long started = System.nanoTime();
        long gap = Math.max(5, size / (stack.services().size() + 2));
        int round = 0;
        for (String service : stack.services()) {
            Thread.sleep(gap * 1000);
            context.progress("SIGKILL %s (%d commits so far)", service, committed.size());
            stack.kill(service);
            Thread.sleep(2000);
            restart(context, restarts, "SIGKILL " + service, () -> stack.up(), api, probe, ++round);
        }
        Thread.sleep(gap * 1000);
        context.progress("stopping the whole stack gracefully (%d commits so far)", committed.size());
        restart(context, restarts, "whole stack stopped and started", () -> {
            stack.down();
            stack.up();
        }, api, probe, ++round);
        Thread.sleep(Math.max(0, size * 1000 - (long) Stats.millis(started, System.nanoTime())));
        loading.set(false);
        List<String> errors = new ArrayList<>();
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (java.util.concurrent.ExecutionException e) {
                errors.add(e.getCause().toString());
            }
        }
        context.progress("%d commits; waiting for every pipeline to end...", committed.size());
        verify(context, report, api, committed, errors, deadLettersBefore);
        if (slow != null) {
            reportSlowStage(report, api, slow, committed.get(0).version());
        }
    }

    private interface Restart {
        void run() throws Exception;
    }

    private static void restart(Context context, Report.Table table, String what, Restart restart, Api api, String probe, int round)
            throws Exception {
        long t0 = System.nanoTime();
        restart.run();
        double seconds = Stats.millis(t0, System.nanoTime()) / 1000;
        double lag = lineageLag(api, probe, round);
        context.progress("%s: healthy after %.1f s, lineage lag %.0f ms", what, seconds, lag);
        table.row().put("what", what).put("seconds", seconds).put("lagMillis", lag);
    }

    /** A commit on the probe dataset right after a restart, and how long until the view shows its {@code committed} stage. */
    private static double lineageLag(Api api, String probe, int round) throws Exception {
        Api.Commit commit = retrying(() -> {
            api.stage(probe, () -> new java.io.ByteArrayInputStream(Records.lineBytes(round, round)));
            return api.commit(probe, "probe " + round, "probe-" + round);
        });
        while (true) {
            JsonNode view = retrying(() -> api.get(pipelinePath(probe, commit.hash())));
            for (JsonNode stage : view.path("stages")) {
                if (stage.path("stage").asText().equals("committed")) {
                    return Stats.millis(commit.answeredNanos(), System.nanoTime());
                }
            }
            Thread.sleep(10);
        }
    }

    private static Api.Commit commitRetrying(Api api, String dataset, int number, String tag) throws Exception {
        return retrying(() -> {
            PipelineLatency.stageOnce(api, dataset, number);
            return api.commit(dataset, "restarts commit " + number, tag + "-" + dataset + "-" + number);
        });
    }

    private void verify(Context context, Report report, Api api, List<Committed> committed, List<String> errors,
            Map<String, Long> deadLettersBefore) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int lost = 0;
        int duplicated = 0;
        int terminalNotOne = 0;
        List<String> examples = new ArrayList<>();
        for (Committed c : committed) {
            JsonNode view = awaitComplete(api, c.dataset(), c.version(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (!view.path("complete").asBoolean()) {
                lost++;
                continue;
            }
            Map<String, Integer> stages = new java.util.HashMap<>();
            int terminals = view.path("outcome").asText().equals("validated") ? 1 : 0; // a pipeline without training ends there
            for (JsonNode stage : view.path("stages")) {
                stages.merge(stage.path("stage").asText(), 1, Integer::sum);
                String status = stage.path("status").asText();
                terminals += status.equals("failed") || (stage.path("stage").asText().equals("promotion")
                        && (status.equals("promoted") || status.equals("rejected"))) ? 1 : 0;
            }
            if (stages.getOrDefault("committed", 0) != 1 || stages.getOrDefault("validation", 0) != 1
                    || stages.getOrDefault("registered", 0) > 1 || stages.getOrDefault("promotion", 0) > 1) {
                duplicated++;
            }
            if (terminals != 1 || stages.getOrDefault("committed", 0) != 1 || stages.getOrDefault("validation", 0) != 1
                    || stages.getOrDefault("registered", 0) > 1 || stages.getOrDefault("promotion", 0) > 1) {
                terminalNotOne += terminals == 1 ? 0 : 1;
                if (examples.size() < 10) {
                    examples.add(c.dataset() + "@" + c.version() + ": " + summary(view));
                }
            }
        }
        Map<String, Long> deadLettersAfter = DeadLetters.count(context.stack().kafkaBootstrap());
        Map<String, Long> deadLettered = DeadLetters.difference(deadLettersBefore, deadLettersAfter);
        long deadLetteredTotal = deadLettered.values().stream().mapToLong(Long::longValue).sum();
        Report.Table table = report.table("outcome", "every commit's story after the restarts", "commits", "commits",
                "lineage incomplete", "lost", "terminal stages != 1", "terminalNotOne", "duplicated", "duplicated",
                "dead-lettered", "deadLettered");
        table.row().put("commits", committed.size()).put("lost", lost).put("terminalNotOne", terminalNotOne)
                .put("duplicated", duplicated).put("deadLettered", deadLetteredTotal);
        report.json().putPOJO("deadLetteredByTopic", deadLettered).putPOJO("errors", errors).putPOJO("irregular", examples);
        report.target("nothing lost, duplicated or dead-lettered across kills and a full restart",
                lost == 0 && terminalNotOne == 0 && duplicated == 0 && deadLetteredTotal == 0 && errors.isEmpty() && !committed.isEmpty(),
                committed.size() + " commits: " + lost + " incomplete, " + terminalNotOne + " without exactly one terminal stage, "
                        + duplicated + " with a repeated stage, " + deadLetteredTotal + " dead-lettered " + deadLettered + ", "
                        + errors.size() + " client errors");
        report.note("each service killed with SIGKILL once, then the whole stack stopped gracefully and started again; "
                + "clients retry refused requests for up to " + OUTAGE_RETRY.toMinutes() + " min");
        if (context.stack().replicas() > 1) {
            report.note(context.stack().replicas() + " replicas of each service (--replicas): each SIGKILL hits one replica (the first) "
                    + "while the others run on");
        }
    }

    /** How long the slow stage took, and whether it outlasted what a consumer may hold one message by default. */
    private static void reportSlowStage(Report report, Api api, SlowStage slow, String version) throws Exception {
        JsonNode view = retrying(() -> api.get(pipelinePath(slow.dataset, version)));
        double seconds = SlowStage.validationSeconds(view);
        report.json().putObject("slowStage").put("dataset", slow.dataset).put("records", slow.records).put("version", version)
                .put("outcome", view.path("outcome").asText(null)).put("validationSeconds", seconds);
        report.target("the slow stage outlasted " + (int) SlowStage.MIN_SECONDS + " s and still ended validated",
                seconds > SlowStage.MIN_SECONDS && view.path("outcome").asText().equals("validated"),
                String.format(java.util.Locale.ROOT, "%,d records: committed to validated in %.0f s (%s)", slow.records, seconds, summary(view)));
    }

    /** A view's stages as {@code stage:status} in order, to show what went wrong. */
    private static String summary(JsonNode view) {
        List<String> stages = new ArrayList<>();
        view.path("stages").forEach(stage -> stages.add(stage.path("stage").asText() + ":" + stage.path("status").asText()));
        return String.join(" ", stages);
    }

    /** The version's lineage view once complete, or as it stands when {@code timeout} runs out. */
    private static JsonNode awaitComplete(Api api, String dataset, String version, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode view = retrying(() -> api.get(pipelinePath(dataset, version)));
            if (view.path("complete").asBoolean() || System.nanoTime() > deadline) {
                return view;
            }
            Thread.sleep(100);
        }
    }

    private static String pipelinePath(String dataset, String version) {
        return "/datasets/" + Api.segment(dataset) + "/versions/" + version + "/pipeline";
    }

    /** Calls {@code call} until it passes, while what fails it is an outage (connection refused, 5xx), for a while. */
    static <T> T retrying(Callable<T> call) throws Exception {
        long deadline = System.nanoTime() + OUTAGE_RETRY.toNanos();
        while (true) {
            try {
                return call.call();
            } catch (IOException | Api.Refused e) {
                if ((e instanceof Api.Refused refused && !refused.transientFailure()) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }
}
