package io.dataline.training;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The kubernetes trainer against fabric8's Kubernetes mock server in CRUD mode (no real cluster exists here). The test
 * plays the cluster and the trainer pod: it finds the Job the orchestrator created, checks its shape (image, arguments,
 * secret reference, non-root), uploads the outputs with the run's token as the pod would, and completes or fails the
 * Job; the run registers the uploaded metrics, or fails with the Job's reason.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class KubernetesTrainerTest {

    static final String METRICS = """
            {"accuracy": 0.9, "macroF1": 0.89, "logLoss": 0.3,
             "perClass": {"negative": {"precision": 0.9, "recall": 0.88, "f1": 0.89, "support": 25},
                          "positive": {"precision": 0.9, "recall": 0.92, "f1": 0.91, "support": 25}},
             "confusionMatrix": {"labels": ["negative", "positive"], "matrix": [[22, 3], [2, 23]]}}""";

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    TopicClient topics;

    private Job awaitJob(String slug) {
        KubernetesClient kube = server.getClient();
        return await().atMost(Duration.ofSeconds(60)).until(() -> kube.batch().v1().jobs().inNamespace("training")
                .withLabel("dataline.io/dataset", slug).list().getItems(), items -> !items.isEmpty()).get(0);
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

    @Test
    void shouldRegisterWhatTheJobUploaded() {
        String name = startRun();
        String slug = DatasetServiceApi.request().get("/datasets/{d}", name).then().extract().path("slug");
        Job job = awaitJob(slug);
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = new HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e));
        String runId = job.getMetadata().getLabels().get("dataline.io/run");
        String version = env.get("DATALINE_DATA_VERSION").getValue();

        assertThat(container.getImage()).isEqualTo("registry.example.com/dataline/tiny-trainer:1.0");
        assertThat(container.getArgs()).containsExactly("--data-url", env.get("DATALINE_DATA_URL").getValue(), "--upload-url",
                env.get("DATALINE_UPLOAD_URL").getValue());
        assertThat(env.get("DATALINE_DATA_URL").getValue()).endsWith("/datasets/" + slug + "/versions/" + version + "/records");
        assertThat(env.get("DATALINE_UPLOAD_URL").getValue()).endsWith("/runs/" + runId + "/outputs");
        assertThat(env.get("DATALINE_API_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("trainer-api-key");
        io.fabric8.kubernetes.api.model.PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getVolumeMounts()).singleElement().satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir().getSizeLimit()).isNotNull());
        // the upload token is in a Secret of the attempt's own, owned by the Job, never in the manifest
        assertThat(env.get("DATALINE_UPLOAD_TOKEN").getValue()).isNull();
        assertThat(env.get("DATALINE_UPLOAD_TOKEN").getValueFrom().getSecretKeyRef().getName()).isEqualTo(job.getMetadata().getName());
        // the Secret is created right after its Job (it needs the Job's uid as owner)
        io.fabric8.kubernetes.api.model.Secret secret = await().atMost(Duration.ofSeconds(30))
                .until(() -> server.getClient().secrets().inNamespace("training").withName(job.getMetadata().getName()).get(), s -> s != null);
        assertThat(secret.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("Job"));

        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getMetadata().getName()).endsWith("-a1"); // a retried attempt gets a Job of its own (-a2)
        String token = secret.getStringData() != null && secret.getStringData().containsKey("upload-token")
                ? secret.getStringData().get("upload-token")
                : new String(java.util.Base64.getDecoder().decode(secret.getData().get("upload-token")), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(token).isNotBlank();
        assertThat(io.fabric8.kubernetes.client.utils.Serialization.asJson(job)).doesNotContain(token);

        given().header("Authorization", "Bearer wrong").body("{}").put("/runs/{id}/outputs/metrics.json", runId).then().statusCode(401);
        given().header("Authorization", "Bearer " + token).body("x").put("/runs/{id}/outputs/weights.txt", runId).then().statusCode(400);
        given().header("Authorization", "Bearer " + token).body(METRICS).put("/runs/{id}/outputs/metrics.json", runId).then().statusCode(204);
        given().header("Authorization", "Bearer " + token).body(new byte[2048]).put("/runs/{id}/outputs/model.bin", runId).then()
                .statusCode(413).contentType("application/problem+json"); // over the test limit of 1 KiB
        given().header("Authorization", "Bearer " + token).body(new byte[] {1, 2, 3}).put("/runs/{id}/outputs/model.bin", runId).then().statusCode(204);
        setStatus(job, s -> s.withSucceeded(1));

        ModelRegisteredEvent registered = Pipeline.registered(topics, name, 1).get(0);
        assertThat(registered.runId()).isEqualTo(runId);
        assertThat(registered.metrics().accuracy()).isEqualTo(0.9);
        assertThat(registered.artifactSha256()).isEqualTo("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"); // sha256 of 01 02 03
        given().get("/models/{m}/versions/1", slug).then().body("trainer", equalTo("kubernetes")).body("metrics.confusionMatrix.matrix[0][0]", equalTo(22));
        given().header("Authorization", "Bearer " + token).body(METRICS).put("/runs/{id}/outputs/metrics.json", runId).then().statusCode(401);
    }

    @Test
    void shouldFailTheRunWhenTheJobFails() {
        String name = startRun();
        String slug = DatasetServiceApi.request().get("/datasets/{d}", name).then().extract().path("slug");
        Job job = awaitJob(slug);

        setStatus(job, s -> s.withFailed(1).withConditions(List.of(new JobConditionBuilder().withType("Failed").withStatus("True")
                .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit").build())));

        TrainingRunFailedEvent failed = Pipeline.failed(topics, name, 1).get(0);
        assertThat(failed.reason()).isEqualTo("Job training/" + job.getMetadata().getName()
                + " failed: BackoffLimitExceeded Job has reached the specified backoff limit");
    }
}
