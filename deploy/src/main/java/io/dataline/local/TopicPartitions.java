package io.dataline.local;

import io.dataline.events.Topics;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The partitions of the pipeline's topics, so that N replicas of a service share the work: {@code up} creates the
 * topics that do not exist yet with the stack's partition count and raises the count of those that have fewer
 * (never lowers it). Events are keyed by dataset, so each dataset's stay in order on one partition; raising the count
 * moves keys, so events already waiting when it is raised may be taken out of order once.
 */
final class TopicPartitions {

    /** Held so the level is not garbage-collected away: the admin client's own INFO lines are not for the user. */
    private static final java.util.logging.Logger KAFKA_LOGGER = java.util.logging.Logger.getLogger("org.apache.kafka");

    private TopicPartitions() {
    }

    static void ensure(String bootstrap, int partitions, PrintStream out) throws InterruptedException {
        KAFKA_LOGGER.setLevel(java.util.logging.Level.WARNING);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Topics.ALL.stream().filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, partitions, (short) 1)).toList();
            for (var created : admin.createTopics(missing).values().values()) {
                try {
                    created.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Set<String> fewer = new HashSet<>();
            admin.describeTopics(Topics.ALL).allTopicNames().get(30, TimeUnit.SECONDS).forEach((topic, description) -> {
                if (description.partitions().size() < partitions) {
                    fewer.add(topic);
                }
            });
            if (!fewer.isEmpty()) {
                Map<String, NewPartitions> raise = new java.util.HashMap<>();
                fewer.forEach(topic -> raise.put(topic, NewPartitions.increaseTo(partitions)));
                admin.createPartitions(raise).all().get(30, TimeUnit.SECONDS);
                out.printf("Raised %d topics to %d partitions.%n", fewer.size(), partitions);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new LauncherException("cannot give the topics " + partitions + " partitions: " + e.getMessage());
        }
    }
}
