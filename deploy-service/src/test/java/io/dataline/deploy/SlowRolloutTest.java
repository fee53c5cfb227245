package io.dataline.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.events.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
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
class SlowRolloutTest extends ServingDeploymentTest {

    /** The kubernetes deployer with a rollout timeout long enough for a slow rollout. */
    public static class SlowRollouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return deployer("3m", "500ms");
        }
    }

    private boolean patchedTo(String name, String version) {
        return version.equals(templateVersion(name));
    }

    @Test
    void shouldFinishARolloutOfMoreThanAMinuteAndKeepConsuming() throws Exception {
        Promotions.Dataset slow = Promotions.dataset("Slow rollout", null);
        Promotions.Dataset next = Promotions.dataset("Queued behind", null);
        String slowName = create(slow.slug());
        String nextName = create(next.slug());

        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(slow, 1, Promotions.metrics(0.85, 0.84, 0.4), null, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> patchedTo(slowName, "1"));
        long started = System.nanoTime();
        topics.publish(Topics.MODEL_REGISTERED, Promotions.register(next, 1, Promotions.metrics(0.85, 0.84, 0.4), null, null));
        Thread.sleep(65_000); // the controller takes its time
        assertThat(patchedTo(nextName, "1")).as("the next event waits behind the slow one (one consumer, in order)").isFalse();
        rollout(slowName, true);

        assertThat(Promotions.promoted(topics, slow, 1).modelVersion()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> patchedTo(nextName, "1"));
        rollout(nextName, true);
        assertThat(Promotions.promoted(topics, next, 1).modelVersion()).isEqualTo(1);
    }
}
