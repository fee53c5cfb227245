package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import io.dataline.events.DatasetValidationFailedEvent;
import io.dataline.events.FailedCheck;
import io.dataline.events.Topics;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.DatasetServiceProcess;
import io.dataline.testsupport.Infra;
import io.dataline.testsupport.TopicClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command-line client against the real dataset-service (its packaged jar on a real database and broker): commit an
 * NDJSON and a CSV file, a commit with nothing new, log, diff, export, pipeline, and the exit codes a CI job relies on
 * (usage 2, API error 1, a failed pipeline 3, a pipeline that does not end in time 4).
 */
class CliTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Cli(Map.of("DATALINE_URL", DatasetServiceProcess.instance().url(), "DATALINE_API_KEY", DatasetServiceProcess.ADMIN_KEY),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void shouldCommitFilesAndShowHistoryDiffAndExports() throws Exception {
        String name = DatasetServiceApi.uniqueName("CLI");
        DatasetServiceApi.create(name, null);
        Path ndjson = dir.resolve("feedback.ndjson");
        Files.writeString(ndjson, """
                {"id": "usr_125", "feedback": "The new UI is fantastic!", "sentiment": "positive"}
                {"id": "usr_126", "feedback": "My login is not working.", "sentiment": "negative"}
                """);
        Path csv = dir.resolve("more.csv");
        Files.writeString(csv, "id,feedback,sentiment\nusr_127,\"Fast, friendly \"\"support\"\"\",positive\nusr_126,My login works now,positive\n");

        Run first = cli("commit", name, ndjson.toString(), "-m", "Added Q4 2023 feedback data");
        Run second = cli("commit", name, csv.toString(), "-m", "From a spreadsheet");
        Run again = cli("commit", name, csv.toString(), "-m", "Same again");

        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).containsPattern("^[0-9a-f]{64}  2 records \\(\\+2 ~0 -0\\)  Added Q4 2023 feedback data");
        assertThat(first.err()).contains("100%");
        assertThat(second.out()).contains("3 records (+1 ~1 -0)");
        assertThat(again.code()).isZero();
        assertThat(again.out()).startsWith("nothing new: all 2 records are already in the head of");
        String from = first.out().substring(0, 64);
        String to = second.out().substring(0, 64);

        Run log = cli("log", name);
        assertThat(log.out().lines()).hasSize(2).first().asString().startsWith(to.substring(0, 12)).endsWith("From a spreadsheet");
        Run diff = cli("diff", name, from, to);
        assertThat(diff.out()).startsWith("1 added, 0 removed, 1 changed").contains("+ \"usr_127\"").contains("~ \"usr_126\"");
        Run export = cli("export", name, to, "--format", "csv");
        assertThat(export.out().lines()).hasSize(4).first().asString().contains("id");
        Run records = cli("export", name, to);
        assertThat(records.out().lines()).hasSize(3);
        Run pipeline = cli("pipeline", name, to);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!pipeline.out().contains("committed") && System.nanoTime() < deadline) { // the lineage view is fed from the topic
            Thread.sleep(250);
            pipeline = cli("pipeline", name, to);
        }
        assertThat(pipeline.code()).isZero();
        assertThat(pipeline.out()).contains("committed").contains("done");
    }

    @Test
    void shouldCreateListCommitToAndDeleteBranches() throws Exception {
        String name = DatasetServiceApi.uniqueName("CLI branches");
        DatasetServiceApi.create(name, null);
        Path ndjson = dir.resolve("base.ndjson");
        Files.writeString(ndjson, "{\"id\": \"a\", \"feedback\": \"fine\", \"sentiment\": \"positive\"}\n");
        Path relabelled = dir.resolve("relabelled.ndjson");
        Files.writeString(relabelled, "{\"id\": \"a\", \"feedback\": \"fine\", \"sentiment\": \"negative\"}\n");
        String base = cli("commit", name, ndjson.toString(), "-m", "base").out().substring(0, 64);

        Run created = cli("branch", "create", name, "team/relabel", "--from", base);
        Run committed = cli("commit", name, relabelled.toString(), "-m", "relabelled", "--branch", "team/relabel");
        Run list = cli("branch", "list", name);
        Run branchLog = cli("log", name, "--branch", "team/relabel");
        Run mainLog = cli("log", name);
        Run opened = cli("pr", "create", name, "team/relabel", "main", "-m", "Relabel a");
        Run shown = cli("pr", "show", name, "1");
        Run checks = cli("pr", "checks", name, "1"); // only dataset-service runs here: nothing validates the head, so pending
        Run merged = cli("pr", "merge", name, "1");
        Run deleted = cli("branch", "delete", name, "team/relabel");

        assertThat(created.code()).as(created.err()).isZero();
        assertThat(created.out()).contains("team/relabel").contains(base);
        assertThat(committed.code()).as(committed.err()).isZero();
        String onBranch = committed.out().substring(0, 64);
        assertThat(list.out()).containsPattern("main +" + base + "  \\(default\\)").containsPattern("team/relabel +" + onBranch);
        assertThat(branchLog.out().lines()).hasSize(2).first().asString().startsWith(onBranch.substring(0, 12));
        assertThat(mainLog.out().lines()).hasSize(1).first().asString().startsWith(base.substring(0, 12));
        assertThat(opened.out()).as(opened.err()).startsWith("#1  team/relabel -> main  open");
        assertThat(shown.out()).contains("merge base " + base);
        assertThat(checks.code()).as(checks.err()).isEqualTo(Cli.PIPELINE_TIMEOUT);
        assertThat(checks.out()).startsWith("#1  checks of team/relabel on " + onBranch + ": pending");
        assertThat(merged.out()).as(merged.err()).contains("merged as " + onBranch);
        assertThat(cli("log", name).out().lines().findFirst().orElseThrow()).startsWith(onBranch.substring(0, 12));
        assertThat(cli("pr", "merge", name, "1").code()).isEqualTo(Cli.FAILED);
        assertThat(deleted.code()).isZero();
        assertThat(cli("branch", "list", name).out()).doesNotContain("team/relabel");
        assertThat(cli("branch", "create", name, "bad name").code()).isEqualTo(Cli.FAILED);
        assertThat(cli("branch", "rename", name, "x").code()).isEqualTo(Cli.USAGE);
    }

    @Test
    void shouldExitWithCodesACiJobCanRelyOn() throws Exception {
        String name = DatasetServiceApi.uniqueName("CLI exit codes");
        String slug = DatasetServiceApi.create(name, null);
        String version = DatasetServiceApi.commit(name, List.of(DatasetServiceApi.record("a", "text", "positive")), null);

        assertThat(new Cli(Map.of(), System.out, new PrintStream(new ByteArrayOutputStream())).run("log", name)).isEqualTo(Cli.USAGE);
        assertThat(cli("commit", name).code()).isEqualTo(Cli.USAGE);
        Run unknown = cli("log", "no such dataset");
        assertThat(unknown.code()).isEqualTo(Cli.FAILED);
        assertThat(unknown.err()).contains("404");
        assertThat(cli("pipeline", name, version, "--follow", "--timeout", "2s").code()).isEqualTo(Cli.PIPELINE_TIMEOUT);

        try (TopicClient topics = new TopicClient(Infra.kafka().bootstrapServers(), null)) {
            topics.publish(Topics.DATASET_VALIDATION_FAILED, new DatasetValidationFailedEvent(UUID.randomUUID(), Instant.now(), name, slug, version,
                    UUID.randomUUID(), "validation-service", 1, "http://127.0.0.1:8081/reports/" + slug + "/" + version, 1, List.of(),
                    List.of(new FailedCheck("minRecords", null, IntNode.valueOf(1), IntNode.valueOf(100), List.of()))));
        }
        Run failed = cli("pipeline", name, version, "--follow", "--timeout", "60s");
        assertThat(failed.code()).as(failed.out()).isEqualTo(Cli.PIPELINE_REJECTED);
        assertThat(failed.out()).contains("validation").contains("failed");
    }

    @Test
    void shouldEndFollowingWhenAPipelineWithoutTrainingPassesValidation() throws Exception {
        String name = DatasetServiceApi.uniqueName("CLI validated");
        String slug = DatasetServiceApi.create(name, null);
        String version = DatasetServiceApi.commit(name, List.of(DatasetServiceApi.record("a", "text", "positive")), null);
        int revision = DatasetServiceApi.request().get("/datasets/{d}/versions/{v}", name, version).then().extract().path("pipelineRevision");
        try (TopicClient topics = new TopicClient(Infra.kafka().bootstrapServers(), null)) {
            topics.publish(Topics.DATASET_VALIDATED, new io.dataline.events.DatasetValidatedEvent(UUID.randomUUID(), Instant.now(), name, slug,
                    version, UUID.randomUUID(), "validation-service", revision, "http://127.0.0.1:8081/reports/" + slug + "/" + version, 1,
                    List.of()));
        }
        Run passed = cli("pipeline", name, version, "--follow", "--timeout", "60s");
        assertThat(passed.code()).as(passed.out() + passed.err()).isEqualTo(Cli.OK);
        assertThat(passed.out()).contains("validation").contains("passed").contains("outcome: validated");
    }
}
