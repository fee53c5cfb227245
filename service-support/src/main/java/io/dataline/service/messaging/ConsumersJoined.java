package io.dataline.service.messaging;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness is DOWN until every incoming Kafka channel's consumer has joined its group and received its assignment
 * (a group generation above zero): a service is not ready while its events wait for a rebalance. The data names, per
 * channel, the generation and the partitions assigned. A member may legitimately hold no partition (more replicas
 * than partitions), so joining, not holding a partition, is what counts.
 */
@Readiness
@ApplicationScoped
public class ConsumersJoined implements HealthCheck {

    private static final Duration ASK = Duration.ofSeconds(2);

    @Inject
    KafkaClientService clients;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka-consumers-joined").up();
        for (String channel : new TreeSet<>(clients.getConsumerChannels())) {
            for (KafkaConsumer<Object, Object> consumer : clients.<Object, Object>getConsumers(channel)) {
                String state = state(consumer);
                response.withData(channel, state);
                if (!state.startsWith("generation ")) {
                    response.down();
                }
            }
        }
        return response.build();
    }

    private static String state(KafkaConsumer<?, ?> consumer) {
        try {
            ConsumerGroupMetadata group = consumer.consumerGroupMetadata().await().atMost(ASK);
            if (group == null || group.generationId() <= 0) {
                return "joining " + (group == null ? "" : group.groupId());
            }
            Set<TopicPartition> assigned = consumer.getAssignments().await().atMost(ASK);
            return "generation " + group.generationId() + ", " + assigned.size() + " partition(s)";
        } catch (RuntimeException e) {
            return "unknown: " + e.getMessage();
        }
    }
}
