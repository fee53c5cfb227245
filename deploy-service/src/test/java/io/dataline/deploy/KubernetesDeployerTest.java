package io.dataline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.events.ModelPromotedEvent;
import io.dataline.events.ModelPromotionRejectedEvent;
import io.dataline.events.ModelRegisteredEvent;
import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
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
class KubernetesDeployerTest {

    /** Turns the kubernetes deployer on. */
    public static class Deployer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dataline.deployers.kubernetes.deployment", "{model}-serving", "dataline.deployers.kubernetes.namespace", "serving",
                    "dataline.deployers.kubernetes.rollout-timeout", "3s", "dataline.deployers.kubernetes.poll-interval", "100ms");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    TopicClient topics;

    private void deployment(String name) {
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("serving").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("registry.example.com/model-server:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
        server.getClient().apps().deployments().inNamespace("serving").resource(deployment).create();
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
}
