package io.dataline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.events.Topics;
import io.dataline.testsupport.TopicClient;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A stage that takes longer than a minute does not stop its consumer: a promotion whose rollout completes only after
 * 65 s (longer than SmallRye's default 60 s limit for an unacknowledged record, past which the channel used to fail
 * until a restart) is promoted, and the event queued behind it is consumed and decided too.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(SlowRolloutTest.SlowRollouts.class)
class SlowRolloutTest {

    /** The kubernetes deployer with a rollout timeout long enough for a slow rollout. */
    public static class SlowRollouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dataline.deployers.kubernetes.deployment", "{model}-serving", "dataline.deployers.kubernetes.namespace", "serving",
                    "dataline.deployers.kubernetes.rollout-timeout", "3m", "dataline.deployers.kubernetes.poll-interval", "500ms");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    TopicClient topics;

    private String create(Promotions.Dataset dataset) {
        String name = dataset.slug() + "-serving";
        Deployment deployment = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("serving").endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
                .withNewSpec().addNewContainer().withName("server").withImage("registry.example.com/model-server:1").endContainer().endSpec()
                .endTemplate().endSpec().build();
        server.getClient().apps().deployments().inNamespace("serving").resource(deployment).create();
        return name;
    }

    private boolean patchedTo(String name, String version) {
        Deployment d = server.getClient().apps().deployments().inNamespace("serving").withName(name).get();
        return d.getSpec().getTemplate().getMetadata().getAnnotations() != null
                && version.equals(d.getSpec().getTemplate().getMetadata().getAnnotations().get("dataline.io/model-version"));
    }

    private void complete(String name) {
        Deployment d = server.getClient().apps().deployments().inNamespace("serving").withName(name).get();
        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(1).withUpdatedReplicas(1)
                .withAvailableReplicas(1).build());
        server.getClient().apps().deployments().inNamespace("serving").resource(d).updateStatus();
    }

    @Test
    void shouldFinishARolloutOfMoreThanAMinuteAndKeepConsuming() throws Exception {
        Promotions.Dataset slow = Promotions.dataset("Slow rollout", null);
        Promotions.Dataset next = Promotions.dataset("Queued behind", null);
        String slowName = create(slow);
        String nextName = create(next);

        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(slow, 1, Promotions.metrics(0.85, 0.84, 0.4), null, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> patchedTo(slowName, "1"));
        long started = System.nanoTime();
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(next, 1, Promotions.metrics(0.85, 0.84, 0.4), null, null));
        Thread.sleep(65_000); // the controller takes its time
        assertThat(patchedTo(nextName, "1")).as("the next event waits behind the slow one (one consumer, in order)").isFalse();
        complete(slowName);

        assertThat(Promotions.promoted(topics, slow, 1).modelVersion()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> patchedTo(nextName, "1"));
        complete(nextName);
        assertThat(Promotions.promoted(topics, next, 1).modelVersion()).isEqualTo(1);
    }
}
