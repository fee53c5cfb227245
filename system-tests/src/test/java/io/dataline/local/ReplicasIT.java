package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of every service on one broker and database, as {@code ./dataline up --replicas 2} runs them (two
 * partitions per topic): each service's consumer group has both replicas holding partitions; commits to several
 * datasets run through the whole pipeline once each (one model version and one promotion per version, never two);
 * both deploy-service replicas serve the promoted model; and with the second replica of every service killed
 * (SIGKILL), a further commit to each dataset still runs exactly once on the replicas left.
 */
class ReplicasIT {

    static final Duration STAGE = Duration.ofMinutes(3);
    static final List<String> SERVICES = List.of("validation-service", "training-orchestrator", "deploy-service", "dataset-service");
    /** The pipeline consumer group of each (dataset-service's lineage consumer names its own). */
    static final List<String> GROUPS = List.of("validation-service", "training-orchestrator", "deploy-service", "dataset-service-lineage");
    static StackUnderTest stack;

    @BeforeAll
    static void up() throws Exception {
        stack = new StackUnderTest(Files.createTempDirectory("dataline-replicas-it"), 2);
        StackUnderTest.Result up = stack.run("up", "--replicas", "2");
        assertThat(up.exitCode()).as(up.output()).isZero();
        assertThat(up.output()).contains("2 replicas of each, sharing 2 partitions per topic").contains("dataset-service-2 is healthy");
    }

    @AfterAll
    static void down() throws Exception {
        if (stack != null) {
            StackUnderTest.Result down = stack.down();
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(down.output()).contains("Stopped console-2.").contains("Stopped dataset-service.");
        }
    }

    @Test
    void shouldShareTheWorkAndRunEveryCommitOnce() throws Exception {
        awaitBothReplicasHoldPartitions();

        Map<String, String> firstVersions = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            String slug = stack.createDataset("Replicated " + i, Demo.pipeline());
            firstVersions.put(slug, commit(slug, sample(0, 120)));
        }
        for (Map.Entry<String, String> first : firstVersions.entrySet()) {
            JsonNode lineage = stack.awaitTerminal(first.getKey(), first.getValue(), STAGE);
            assertThat(lineage.path("outcome").asText()).as(lineage.toString()).isEqualTo("promoted");
        }
        Thread.sleep(3000); // room for a second replica to (wrongly) run something again
        for (Map.Entry<String, String> first : firstVersions.entrySet()) {
            assertRanOnce(first.getKey(), first.getValue());
            assertThat(stack.json("GET", stack.deploy() + "/models/" + first.getKey() + "/promotions", null, 200)).hasSize(1);
            for (int replica = 1; replica <= 2; replica++) { // the replica that did not promote follows the alias
                String predict = stack.url(3, replica) + "/models/" + first.getKey() + "/staging/predict";
                awaitStatus(predict, Map.of("records", List.of(Map.of("feedback", "fast delivery, lovely support"))), 200);
            }
        }

        for (String service : SERVICES) {
            stack.kill(service + "-2");
        }
        Map<String, String> secondVersions = new LinkedHashMap<>();
        for (String slug : firstVersions.keySet()) {
            secondVersions.put(slug, commit(slug, sample(120, 200)));
        }
        for (Map.Entry<String, String> second : secondVersions.entrySet()) {
            stack.awaitTerminal(second.getKey(), second.getValue(), STAGE);
        }
        Thread.sleep(3000);
        for (Map.Entry<String, String> second : secondVersions.entrySet()) {
            assertRanOnce(second.getKey(), second.getValue());
            JsonNode versions = stack.json("GET", stack.training() + "/models/" + second.getKey() + "/versions", null, 200);
            assertThat(versions.findValuesAsText("dataVersion")).containsExactlyInAnyOrder(firstVersions.get(second.getKey()), second.getValue());
        }
    }

    /** One committed, validation, training and registered stage, and at most one promotion decision, for this version. */
    private static void assertRanOnce(String slug, String version) throws Exception {
        JsonNode lineage = stack.json("GET", stack.datasets() + "/datasets/" + slug + "/versions/" + version + "/pipeline", null, 200);
        List<String> stages = lineage.path("stages").findValuesAsText("stage");
        assertThat(stages).as(lineage.toString()).containsOnlyOnce("committed", "validation", "registered");
        assertThat(stages.stream().filter("promotion"::equals).count()).as(lineage.toString()).isLessThanOrEqualTo(1);
        JsonNode versions = stack.json("GET", stack.training() + "/models/" + slug + "/versions", null, 200);
        assertThat(versions.findValuesAsText("dataVersion").stream().filter(version::equals)).as(versions.toString()).hasSize(1);
    }

    /** Each pipeline consumer group has two members (static, one per replica), each holding at least one partition. */
    private static void awaitBothReplicasHoldPartitions() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + stack.kafka))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            Map<String, ConsumerGroupDescription> groups = Map.of();
            while (System.nanoTime() < deadline) {
                try {
                    groups = admin.describeConsumerGroups(GROUPS).all().get(30, TimeUnit.SECONDS);
                    if (groups.values().stream().allMatch(ReplicasIT::sharedByTwo)) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException notYet) {
                    // a group that has not formed yet is not found
                }
                Thread.sleep(500);
            }
            throw new AssertionError("consumer groups not shared by two replicas: " + groups);
        }
    }

    private static boolean sharedByTwo(ConsumerGroupDescription group) {
        List<MemberDescription> members = new ArrayList<>(group.members());
        return members.size() == 2 && members.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())
                && members.stream().map(m -> m.groupInstanceId().orElse("")).distinct().count() == 2;
    }

    private static void awaitStatus(String url, Object body, int status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            var answer = stack.call("POST", url, body);
            if (answer.statusCode() == status) {
                return;
            }
            last = answer.statusCode() + " " + answer.body();
            Thread.sleep(250);
        }
        throw new AssertionError("POST " + url + " did not answer " + status + "; last: " + last);
    }

    private static String commit(String slug, List<?> records) throws Exception {
        return stack.commit(slug, records);
    }

    private static List<Map<String, Object>> sample(int from, int to) throws Exception {
        return StackUnderTest.sample(from, to);
    }
}
