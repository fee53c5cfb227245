package io.dataline.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The process trainer with the shipped example ({@code examples/python-trainer/train.py}, python3 standard library
 * only): its model file is registered with the metrics Dataline measured from its predict command's answers on the
 * held-out records, which the training command never gets and the predict command gets without labels; a trainer's
 * own metrics are ignored, and a staged process model is measured the same way as a baseline. Trainers that crash,
 * hang past the template's timeout, or answer malformed predictions, and a spec naming a template the operator never
 * configured (or one without a predict command), all end in {@code training.run-failed} with the reason; two workers
 * execute two runs at once. The process
 * runs in its own directory with a clean environment and prlimit limits, and an output that is a symbolic link is
 * refused, never followed.
 */
@QuarkusTest
class ProcessTrainerTest {

    @Inject
    TopicClient topics;

    private static Map<String, Object> spec(String template) {
        Map<String, Object> spec = new HashMap<>(Pipeline.TEXT_SPEC);
        spec.put("trainer", "process");
        spec.put("template", template);
        spec.put("params", Map.of("alpha", 0.5));
        return spec;
    }

    private String trainOnce(String template) {
        String name = DatasetServiceApi.uniqueName("Process " + template);
        String slug = Pipeline.createFeedback(name, spec(template));
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, Pipeline.commit(name, Pipeline.feedback(200, 8))));
        return name;
    }

    @Test
    void shouldRegisterTheExampleTrainersModelWithWhatDatalineMeasuredFromItsPredictions() {
        String name = trainOnce("python-example");

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);

        assertThat(registered.metrics().accuracy()).isGreaterThan(0.75);
        given().get("/models/{m}/versions/1", registered.model()).then().statusCode(200)
                .body("trainer", equalTo("process")).body("template", equalTo("python-example")).body("params.alpha", equalTo(0.5f))
                .body("artifact.format", equalTo("external")).body("metrics.confusionMatrix.labels[0]", equalTo("negative"));
        String model = given().get("/models/{m}/versions/1/artifact", registered.model()).then().statusCode(200).extract().asString();
        assertThat(model).contains("multinomial-naive-bayes");
        given().get("/models/{m}/versions/1/sample", registered.model()).then().statusCode(200)
                .body("records[0].predicted", org.hamcrest.Matchers.anyOf(equalTo("positive"), equalTo("negative")))
                .body("records[0].scores.positive", org.hamcrest.Matchers.notNullValue());
        given().get("/runs/{id}", registered.runId()).then().body("logsTail", containsString("training naive Bayes on"))
                .body("logsTail", containsString("measuring the candidate on"));
    }

    @Test
    void shouldMeasureATrainerThatGradesItselfFromItsPredictionsAlone() {
        String name = trainOnce("self-grader");

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);

        // it wrote accuracy 1.0 into a metrics.json; it predicts "positive" for everything, and that is what counts
        Map<String, Object> metrics = given().get("/models/{m}/versions/1", registered.model()).then().statusCode(200).extract().path("metrics");
        int heldOut = given().get("/models/{m}/versions/1", registered.model()).then().extract().path("heldOutRecords");
        Map<?, ?> perClass = (Map<?, ?>) metrics.get("perClass");
        double positives = ((Number) ((Map<?, ?>) perClass.get("positive")).get("support")).doubleValue();
        assertThat(registered.metrics().accuracy()).isLessThan(1.0).isEqualTo(positives / heldOut);
        assertThat(((Number) ((Map<?, ?>) perClass.get("negative")).get("recall")).doubleValue()).isZero();
        String log = given().get("/runs/{id}", registered.runId()).then().extract().path("logsTail");
        assertThat(line(log, "HELDOUT_VISIBLE ")).isEqualTo("False");
        assertThat(line(log, "ARGS ")).doesNotContain("heldout").contains("train.ndjson");
        assertThat(line(log, "PREDICT ")).isEqualTo(heldOut + " records, 0 with a sentiment field");
    }

    @Test
    void shouldMeasureAStagedProcessModelAsTheBaselineOnTheCandidatesRecords() {
        String name = DatasetServiceApi.uniqueName("Process baseline");
        String slug = Pipeline.createFeedback(name, spec("self-grader"));
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, Pipeline.commit(name, Pipeline.feedback(120, 3))));
        ModelRegisteredEvent first = Pipeline.registered(topics, name, 1).get(0);
        topics.publish(Topics.MODEL_PROMOTED, Pipeline.promoted(first));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                given().get("/models/{m}/versions/1", slug).then().body("staged", equalTo(true)));

        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, Pipeline.commit(name, Pipeline.feedback(160, 4))));
        ModelRegisteredEvent candidate = Pipeline.registered(topics, name, 2).get(1);

        // both always answer "positive": measured on the same records, their metrics are equal
        assertThat(candidate.baselineVersion()).isEqualTo(1);
        assertThat(candidate.baselineMetrics()).isEqualTo(candidate.metrics());
        // a process model is not measured beside the trainer (that would run two of the back-end's processes at once)
        String log = given().get("/runs/{id}", candidate.runId()).then().extract().path("logsTail");
        assertThat(log).contains("staged baseline v1 on the same held-out records").doesNotContain("beside the trainer");
        assertThat(log.indexOf("measuring the baseline on")).isGreaterThan(log.indexOf("held-out metrics:"));
        given().contentType(io.restassured.http.ContentType.JSON).body(Map.of("against", 1)).post("/models/{m}/versions/2/compare", slug).then()
                .statusCode(200).body("againstMetrics.accuracy", equalTo((float) candidate.metrics().accuracy()));
    }

    @Test
    void shouldFailARunWhoseTrainerCrashes() {
        TrainingRunFailedEvent failed = Pipeline.failed(topics, trainOnce("crashing"), 1).get(0);

        assertThat(failed.reason()).isEqualTo("the trainer exited with code 3; last output: " + lastLine(failed));
        assertThat(failed.reason()).contains("out of memory");
        given().get("/runs/{id}", failed.runId()).then().body("state", equalTo("FAILED")).body("reason", equalTo(failed.reason()));
    }

    @Test
    void shouldKillAndFailATrainerThatOutlivesItsTimeout() {
        TrainingRunFailedEvent failed = Pipeline.failed(topics, trainOnce("hanging"), 1).get(0);

        assertThat(failed.reason()).isEqualTo("the trainer timed out after PT2S and was killed");
    }

    @Test
    void shouldExecuteTwoQueuedRunsAtOnceWithTwoWorkers() { // %test.dataline.runs.workers=2
        String first = trainOnce("hanging");
        String second = trainOnce("hanging");

        java.time.Instant[] one = startedAndFinished(Pipeline.failed(topics, first, 1).get(0).runId());
        java.time.Instant[] other = startedAndFinished(Pipeline.failed(topics, second, 1).get(0).runId());

        // each hangs until its 2 s timeout: one worker would start the second only after the first ended
        assertThat(other[0]).isBefore(one[1]);
        assertThat(one[0]).isBefore(other[1]);
    }

    private static java.time.Instant[] startedAndFinished(String run) {
        io.restassured.path.json.JsonPath view = given().get("/runs/{id}", run).then().statusCode(200).body("attempts", equalTo(1))
                .extract().jsonPath();
        return new java.time.Instant[] {java.time.Instant.parse(view.getString("startedAt")), java.time.Instant.parse(view.getString("finishedAt"))};
    }

    @Test
    void shouldFailARunWhosePredictionsAreMalformed() {
        TrainingRunFailedEvent failed = Pipeline.failed(topics, trainOnce("bad-predictions"), 1).get(0);

        assertThat(failed.reason()).isEqualTo("measuring the trained model failed: predictions.ndjson line 2: scores.negative must be a "
                + "probability between 0 and 1");
    }

    @Test
    void shouldRefuseATemplateWithoutAPredictCommand() {
        TrainingRunFailedEvent failed = Pipeline.failed(topics, trainOnce("no-predict"), 1).get(0);

        assertThat(failed.reason()).contains("/training/template: process template \"no-predict\" has no predict-command");
        given().get("/runs/{id}", failed.runId()).then().body("attempts", equalTo(0));
    }

    @Test
    void shouldNeverRunATemplateTheOperatorDidNotConfigure() {
        TrainingRunFailedEvent failed = Pipeline.failed(topics, trainOnce("rm-rf"), 1).get(0);

        assertThat(failed.reason()).contains("/training/template: no process template \"rm-rf\" is configured");
        given().get("/runs/{id}", failed.runId()).then().body("state", equalTo("FAILED")).body("attempts", equalTo(0));
    }

    @Test
    void shouldRunTheTrainerInItsOwnDirectoryWithACleanEnvironmentAndLimits() {
        TrainingRunFailedEvent failed = Pipeline.failed(topics, trainOnce("env-probe"), 1).get(0);

        String log = given().get("/runs/{id}", failed.runId()).then().statusCode(200).extract().path("logsTail");
        String names = line(log, "ENV ");
        // PWD, SHLVL and PYENV_* are set by a shell wrapper in front of python3 (pyenv's shim), not passed by the service
        assertThat(names.split(",")).allSatisfy(n -> assertThat(n).matches("PATH|HOME|TMPDIR|LANG|TRAINER_MODE|DATALINE_[A-Z_]+|PWD|SHLVL|_?PYENV_[A-Z_]+"))
                .contains("PATH", "HOME", "TMPDIR", "TRAINER_MODE", "DATALINE_RUN_ID", "DATALINE_TRAIN_FILE", "DATALINE_OUT_DIR")
                .doesNotContain("DATALINE_SERVICE_KEY", "DATALINE_DB_PASSWORD", "DATALINE_ADMIN_KEY");
        assertThat(line(log, "CWD ")).contains(failed.runId().toString()).doesNotEndWith("training-orchestrator");
        assertThat(line(log, "LIMITS ")).isEqualTo("as=8589934592 fsize=104857600 nofile=256 core=0");
    }

    @Test
    void shouldRefuseAnOutputThatIsASymbolicLink() {
        TrainingRunFailedEvent failed = Pipeline.failed(topics, trainOnce("link-model"), 1).get(0);

        assertThat(failed.reason()).isEqualTo("the trainer's model is a symbolic link; outputs must be regular files");
    }

    private static String line(String log, String prefix) {
        return log.lines().filter(l -> l.contains("Z " + prefix)).map(l -> l.substring(l.indexOf("Z " + prefix) + 2 + prefix.length())).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + prefix + " in " + log));
    }

    private static String lastLine(TrainingRunFailedEvent failed) {
        return failed.reason().substring(failed.reason().indexOf("last output: ") + "last output: ".length());
    }
}
