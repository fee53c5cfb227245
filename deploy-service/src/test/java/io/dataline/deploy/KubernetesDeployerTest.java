package io.dataline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The kubernetes deployer against fabric8's mock server in CRUD mode, the test playing the cluster's Deployment
 * controller: a promotion patches the model's serving Deployment (pod annotations, {@code DATALINE_MODEL_*}
 * environment) and completes once the rollout does; a rollout that never completes refuses the promotion, staging
 * unchanged and the Deployment's pod template put back.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(KubernetesDeployerTest.Deployer.class)
class KubernetesDeployerTest extends ServingDeploymentTest {

    /** Turns the kubernetes deployer on. */
    public static class Deployer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return deployer("3s", "100ms");
        }
    }

    private void deployment(String name) {
        create(name.substring(0, name.length() - "-serving".length()));
    }

    @Test
    void shouldPatchTheDeploymentAndWaitForItsRollout() {
        Promotions.Dataset dataset = Promotions.dataset("Kube served", null);
        String name = dataset.slug() + "-serving";
        deployment(name);
        ModelRegisteredEvent v1 = Promotions.register(dataset, 1, Promotions.metrics(0.9, 0.9, 0.2), null, null);

        topics.publish(Topics.MODEL_REGISTERED, v1);
        KubernetesClient kube = server.getClient();
        Deployment patched = await().atMost(Duration.ofSeconds(30)).until(() -> kube.apps().deployments().inNamespace("serving").withName(name).get(),
                d -> d.getSpec().getTemplate().getMetadata().getAnnotations() != null
                        && "1".equals(d.getSpec().getTemplate().getMetadata().getAnnotations().get("dataline.io/model-version")));
        patched.setStatus(new DeploymentStatusBuilder().withObservedGeneration(patched.getMetadata().getGeneration()).withReplicas(1)
                .withUpdatedReplicas(1).withAvailableReplicas(1).build());
        kube.apps().deployments().inNamespace("serving").resource(patched).updateStatus();

        ModelPromotedEvent promoted = Promotions.promoted(topics, dataset, 1);
        assertThat(promoted.modelVersion()).isEqualTo(1);
        Map<String, String> env = patched.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("DATALINE_MODEL_URI", v1.artifactUri()).containsEntry("DATALINE_MODEL_VERSION", "1")
                .containsEntry("DATALINE_MODEL_SHA256", v1.artifactSha256());
    }

    @Test
    void shouldRefuseAPromotionWhoseRolloutNeverCompletes() {
        Promotions.Dataset dataset = Promotions.dataset("Kube stuck", null);
        deployment(dataset.slug() + "-serving");

        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 1, Promotions.metrics(0.9, 0.9, 0.2), null, null));

        ModelPromotionRejectedEvent rejected = Promotions.rejected(topics, dataset, 1);
        assertThat(rejected.reason()).isEqualTo("the rollout of Deployment serving/" + dataset.slug() + "-serving did not complete within PT3S");
        io.restassured.RestAssured.given().get("/models/{m}/stages", dataset.slug()).then().body("staging", org.hamcrest.Matchers.nullValue());
        Deployment restored = server.getClient().apps().deployments().inNamespace("serving").withName(dataset.slug() + "-serving").get();
        assertThat(restored.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()).isNullOrEmpty();
    }

    @Inject
    io.dataline.deploy.serving.KubernetesDeployer deployer;

    @Test
    void shouldChangeOnlyDeploymentsLabelledAsModelServersWithValidNames() throws Exception {
        Promotions.Dataset dataset = Promotions.dataset("Kube unlabelled", null);
        String name = create(dataset.slug(), false);

        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 1, Promotions.metrics(0.9, 0.9, 0.2), null, null));

        ModelPromotionRejectedEvent rejected = Promotions.rejected(topics, dataset, 1);
        assertThat(rejected.reason()).isEqualTo("Deployment serving/" + name + " is not labelled dataline.io/serving=true; "
                + "deploy-service changes only Deployments labelled as model servers");
        assertThat(current(name).getSpec().getTemplate().getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(current(name).getMetadata().getGeneration()).isEqualTo(1L);
        for (String model : java.util.List.of("Upper", "under_score", "dot.ted", "x".repeat(60))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> deployer.deploymentName(model)).as(model)
                    .isInstanceOf(io.dataline.deploy.serving.PromotionRefusedException.class).hasMessageContaining("not a valid Deployment name");
        }
        assertThat(deployer.deploymentName("reviews-2")).isEqualTo("reviews-2-serving");
    }

    // --- promotions as a state machine: intent, rollout, alias move; the cluster follows the alias -------------------

    @Inject
    io.dataline.deploy.PromotionIntentRepository intents;

    @Inject
    io.dataline.deploy.serving.ClusterReconciler reconciler;

    @Inject
    io.dataline.deploy.serving.ServedModels served;

    /** Waits until the template names {@code version}, then completes its rollout. */
    private void completeRolloutOf(String name, String version) {
        await().atMost(Duration.ofSeconds(30)).until(() -> version.equals(templateVersion(name)));
        rollout(name, true);
    }

    private Promotions.Dataset withV1InStaging(String prefix) {
        Promotions.Dataset dataset = Promotions.dataset(prefix, null);
        String name = dataset.slug() + "-serving";
        deployment(name);
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 1, Promotions.metrics(0.85, 0.84, 0.4), null, null));
        completeRolloutOf(name, "1");
        Promotions.promoted(topics, dataset, 1);
        rollout(name, false); // the next patch starts a rollout the test completes by hand
        return dataset;
    }

    private java.util.List<io.dataline.deploy.PromotionIntent> intentsOf(String model) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> intents.list("model = ?1 order by createdAt", model));
    }

    @Test
    void shouldPutTheClusterBackWhenTheAliasMovedElsewhereDuringTheRollout() throws Exception {
        Promotions.Dataset dataset = withV1InStaging("Kube raced");
        String name = dataset.slug() + "-serving";
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 2, Promotions.metrics(0.5, 0.5, 0.9), 1, Promotions.metrics(0.85, 0.84, 0.4)));
        Promotions.rejected(topics, dataset, 1);

        java.util.concurrent.CompletableFuture<io.restassured.response.Response> forced = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON).body(Map.of("version", 2, "force", true))
                        .post("/models/{m}/stages/staging", dataset.slug()));
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(templateVersion(name)));
        // while v2 rolls out, the alias is moved by something that did not take the model's lock
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> intents.getEntityManager()
                .createNativeQuery("UPDATE model_stage SET version = 7 WHERE model = ?1").setParameter(1, dataset.slug()).executeUpdate());
        rollout(name, true);

        io.restassured.response.Response answer = forced.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(409);
        assertThat(answer.jsonPath().getString("detail")).contains("is v7, not v1 as when this move was decided; nothing moved");
        // the cluster is back to what it served before the move; the intent says what happened
        assertThat(templateVersion(name)).isEqualTo("1");
        assertThat(intentsOf(dataset.slug())).extracting(i -> i.toVersion + " " + i.state).containsExactly("1 done", "2 abandoned");
        io.restassured.RestAssured.given().get("/models/{m}/promotions", dataset.slug()).then().body("version", org.hamcrest.Matchers.equalTo(java.util.List.of(1)));
    }

    @Test
    void shouldSettleAMoveWhoseProcessDiedAndPutTheClusterBackToTheAlias() throws Exception {
        Promotions.Dataset dataset = withV1InStaging("Kube died");
        String name = dataset.slug() + "-serving";
        // what a process killed between its rollout of v2 and the alias move leaves behind: a pending intent, the
        // Deployment naming v2, staging still v1
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> intents.open(dataset.slug(), 1, 2, false, "killed"));
        server.getClient().apps().deployments().inNamespace("serving").withName(name).edit(d -> {
            d.getSpec().getTemplate().getMetadata().getAnnotations().put("dataline.io/model-version", "2");
            return d;
        });

        java.util.concurrent.CompletableFuture<Integer> round = java.util.concurrent.CompletableFuture.supplyAsync(reconciler::reconcile);
        completeRolloutOf(name, "1");

        assertThat(round.get(60, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
        assertThat(intentsOf(dataset.slug())).extracting(i -> i.toVersion + " " + i.state).containsExactly("1 done", "2 abandoned");
        Map<String, String> env = current(name).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
        assertThat(env).containsEntry("DATALINE_MODEL_VERSION", "1");
        assertThat(reconciler.reconcile()).as("nothing left to put right").isZero();
    }

    @Test
    void shouldRunOneMoveOfAModelAtATimeSoAliasClusterAndServedModelAgree() throws Exception {
        Promotions.Dataset dataset = withV1InStaging("Kube serialized");
        String name = dataset.slug() + "-serving";
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(dataset, 2, Promotions.metrics(0.9, 0.9, 0.2), 1, Promotions.metrics(0.85, 0.84, 0.4)));
        await().atMost(Duration.ofSeconds(30)).until(() -> "2".equals(templateVersion(name)));

        // a rollback by hand while v2 rolls out: it waits for that move instead of slipping in between its gates and
        // its alias move (which then overwrote it, the cluster and the served model disagreeing with the alias)
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> rollback = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> io.restassured.RestAssured.given().post("/models/{m}/stages/staging/rollback", dataset.slug()));
        Thread.sleep(500);
        assertThat(rollback).isNotDone();
        rollout(name, true);
        Promotions.promoted(topics, dataset, 2);
        rollout(name, false);
        completeRolloutOf(name, "1");

        io.restassured.response.Response answer = rollback.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.jsonPath().getInt("version")).isEqualTo(1);
        assertThat(answer.jsonPath().getInt("previousVersion")).isEqualTo(2);
        io.restassured.RestAssured.given().get("/models/{m}/stages", dataset.slug()).then().body("staging.version", org.hamcrest.Matchers.equalTo(1));
        assertThat(templateVersion(name)).isEqualTo("1");
        assertThat(served.get(dataset.slug()).orElseThrow().version()).isEqualTo(1);
        assertThat(intentsOf(dataset.slug())).extracting(i -> i.fromVersion + ">" + i.toVersion + " " + i.state)
                .containsExactly("null>1 done", "1>2 done", "2>1 done");
    }
}
