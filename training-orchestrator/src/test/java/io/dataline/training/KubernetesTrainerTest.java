package io.dataline.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.events.EventJson;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.events.TrainingRunFailedEvent;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.TopicClient;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The kubernetes trainer against fabric8's Kubernetes mock server in CRUD mode (no real cluster exists here). The test
 * plays the cluster and the trainer's pods: it finds each Job the orchestrator created, checks its shape (image,
 * arguments, token Secret, locked-down pod), reads the Job's inputs and uploads its outputs with the run's token as the
 * pod would, and completes or fails the Job. The training Job gets the training split only; the predict Job gets the
 * model and the held-out records without labels; the run registers the metrics Dataline computed from the uploaded
 * predictions (a metrics.json upload is refused), or fails with the Job's reason.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class KubernetesTrainerTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    TopicClient topics;

    private Job awaitJob(String slug, String prefix) {
        KubernetesClient kube = server.getClient();
        return await().atMost(Duration.ofSeconds(60)).until(() -> kube.batch().v1().jobs().inNamespace("training")
                .withLabel("dataline.io/dataset", slug).list().getItems().stream().filter(j -> j.getMetadata().getName().startsWith(prefix)).toList(),
                items -> !items.isEmpty()).get(0);
    }

    private String startRun() {
        Map<String, Object> spec = new HashMap<>(Pipeline.TEXT_SPEC);
        spec.put("trainer", "kubernetes");
        spec.put("template", "tiny");
        String name = DatasetServiceApi.uniqueName("Kube");
        String slug = Pipeline.createFeedback(name, spec);
        topics.publish(Topics.DATASET_VALIDATED, Pipeline.validated(name, slug, Pipeline.commit(name, Pipeline.feedback(60, 4))));
        return name;
    }

    private void setStatus(Job job, UnaryOperator<JobStatusBuilder> status) {
        job.setStatus(status.apply(new JobStatusBuilder()).build());
        server.getClient().batch().v1().jobs().inNamespace("training").resource(job).updateStatus();
    }

    private static Map<String, EnvVar> env(Container container) {
        Map<String, EnvVar> env = new HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e));
        return env;
    }

    /** The run's token from the Job's own Secret (created right after the Job, which it needs as owner). */
    private String token(Job job) {
        Secret secret = await().atMost(Duration.ofSeconds(30))
                .until(() -> server.getClient().secrets().inNamespace("training").withName(job.getMetadata().getName()).get(), s -> s != null);
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("Job"));
        return secret.getStringData() != null && secret.getStringData().containsKey("upload-token")
                ? secret.getStringData().get("upload-token")
                : new String(Base64.getDecoder().decode(secret.getData().get("upload-token")), StandardCharsets.UTF_8);
    }

    private static List<String> ids(String ndjson) {
        return ndjson.lines().map(line -> {
            try {
                return EventJson.mapper().readTree(line).path("id").asText();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private static String path(String url) {
        return URI.create(url).getPath();
    }

    @Test
    void shouldRegisterWhatDatalineMeasuredFromTheJobsPredictions() {
        String name = startRun();
        String slug = DatasetServiceApi.request().get("/datasets/{d}", name).then().extract().path("slug");
        Job job = awaitJob(slug, "dataline-train-");
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = env(container);
        String runId = job.getMetadata().getLabels().get("dataline.io/run");

        assertThat(container.getImage()).isEqualTo("registry.example.com/dataline/tiny-trainer:1.0");
        assertThat(container.getArgs()).containsExactly("train", "--data-url", env.get("DATALINE_DATA_URL").getValue(), "--upload-url",
                env.get("DATALINE_UPLOAD_URL").getValue());
        // the pod reads the training split from the orchestrator with the run's token: no key to dataset-service
        assertThat(env.get("DATALINE_DATA_URL").getValue()).endsWith("/runs/" + runId + "/inputs/train.ndjson");
        assertThat(env.get("DATALINE_UPLOAD_URL").getValue()).endsWith("/runs/" + runId + "/outputs");
        assertThat(env).doesNotContainKey("DATALINE_API_KEY");
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit()).isNotNull());
        // the upload token is in a Secret of the Job's own, owned by it, never in the manifest
        assertThat(env.get("DATALINE_UPLOAD_TOKEN").getValue()).isNull();
        assertThat(env.get("DATALINE_UPLOAD_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo(job.getMetadata().getName());
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getMetadata().getName()).endsWith("-a1"); // a retried attempt gets a Job of its own (-a2)
        String token = token(job);
        assertThat(token).isNotBlank();
        assertThat(Serialization.asJson(job)).doesNotContain(token);

        String dataUrl = path(env.get("DATALINE_DATA_URL").getValue());
        given().get(dataUrl).then().statusCode(401);
        String training = given().header("Authorization", "Bearer " + token).get(dataUrl).then().statusCode(200).extract().asString();
        given().header("Authorization", "Bearer " + token).get("/runs/{id}/inputs/input.ndjson", runId).then().statusCode(404); // not while training
        given().header("Authorization", "Bearer wrong").body("x").put("/runs/{id}/outputs/model.bin", runId).then().statusCode(401);
        given().header("Authorization", "Bearer " + token).body("x").put("/runs/{id}/outputs/weights.txt", runId).then().statusCode(400);
        given().header("Authorization", "Bearer " + token).body("{}").put("/runs/{id}/outputs/metrics.json", runId).then().statusCode(400)
                .body("detail", containsString("measures every model itself"));
        given().header("Authorization", "Bearer " + token).body(new byte[8192]).put("/runs/{id}/outputs/model.bin", runId).then()
                .statusCode(413).contentType("application/problem+json"); // over the test limit of 4 KiB
        given().header("Authorization", "Bearer " + token).body(new byte[] {1, 2, 3}).put("/runs/{id}/outputs/model.bin", runId).then().statusCode(204);
        setStatus(job, s -> s.withSucceeded(1));

        Job predict = awaitJob(slug, "dataline-predict-");
        Container predictor = predict.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> predictEnv = env(predictor);
        assertThat(predict.getMetadata().getName()).endsWith("-a1-c");
        assertThat(predictor.getImage()).isEqualTo(container.getImage());
        assertThat(predictor.getArgs()).containsExactly("predict", "--model-url", predictEnv.get("DATALINE_MODEL_URL").getValue(), "--input-url",
                predictEnv.get("DATALINE_INPUT_URL").getValue(), "--upload-url", predictEnv.get("DATALINE_UPLOAD_URL").getValue());
        String predictToken = token(predict);
        byte[] model = given().header("Authorization", "Bearer " + predictToken).get(path(predictEnv.get("DATALINE_MODEL_URL").getValue())).then()
                .statusCode(200).extract().asByteArray();
        assertThat(model).containsExactly(1, 2, 3);
        given().header("Authorization", "Bearer " + predictToken).get(dataUrl).then().statusCode(404); // the training split is gone
        String input = given().header("Authorization", "Bearer " + predictToken).get(path(predictEnv.get("DATALINE_INPUT_URL").getValue())).then()
                .statusCode(200).extract().asString();
        List<String> records = input.lines().toList();
        assertThat(records).isNotEmpty().allSatisfy(r -> assertThat(r).doesNotContain("\"sentiment\"").contains("\"feedback\""));
        assertThat(ids(input)).doesNotContainAnyElementsOf(ids(training)).hasSize(records.size());
        // a predict Job that swaps the model after being measured changes nothing: the measured model was moved away
        given().header("Authorization", "Bearer " + predictToken).body(new byte[] {9, 9, 9}).put("/runs/{id}/outputs/model.bin", runId).then()
                .statusCode(204);
        String predictions = "{\"label\": \"positive\", \"scores\": {\"positive\": 0.8, \"negative\": 0.2}}\n".repeat(records.size());
        given().header("Authorization", "Bearer " + predictToken).body(predictions).put("/runs/{id}/outputs/predictions.ndjson", runId).then()
                .statusCode(204);
        setStatus(predict, s -> s.withSucceeded(1));

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);
        assertThat(registered.runId()).isEqualTo(runId);
        assertThat(registered.artifactSha256()).isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"); // sha256 of 01 02 03,
        // the model that was measured
        Map<String, Object> perClass = given().get("/models/{m}/versions/1", slug).then().body("trainer", equalTo("kubernetes"))
                .body("heldOutRecords", equalTo(records.size())).extract().path("metrics.perClass");
        double positives = ((Number) ((Map<?, ?>) perClass.get("positive")).get("support")).doubleValue();
        assertThat(registered.metrics().accuracy()).isEqualTo(positives / records.size());
        assertThat(registered.metrics().logLoss()).isGreaterThan(0.2);
        given().header("Authorization", "Bearer " + token).body("x").put("/runs/{id}/outputs/model.bin", runId).then().statusCode(401);
        given().header("Authorization", "Bearer " + token).get("/runs/{id}/inputs/model", runId).then().statusCode(401);
    }

    @Test
    void shouldFailTheRunWhenTheJobFails() {
        String name = startRun();
        String slug = DatasetServiceApi.request().get("/datasets/{d}", name).then().extract().path("slug");
        Job job = awaitJob(slug, "dataline-train-");

        setStatus(job, s -> s.withFailed(1).withConditions(List.of(new JobConditionBuilder().withType("Failed").withStatus("True")
                .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit").build())));

        TrainingRunFailedEvent failed = Pipeline.failed(topics, name, 1).get(0);
        assertThat(failed.reason()).isEqualTo("Job training/" + job.getMetadata().getName()
                + " failed: BackoffLimitExceeded Job has reached the specified backoff limit");
    }
}
