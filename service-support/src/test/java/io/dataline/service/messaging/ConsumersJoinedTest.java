package io.dataline.service.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** Covers readiness while consumers join: DOWN until every channel's consumer has a group generation, then UP. */
class ConsumersJoinedTest {

    @Test
    void shouldBeDownWhileAConsumerIsStillJoiningItsGroup() {
        HealthCheckResponse response = check(Map.of("lineage", consumer(-1, Set.of()),
                "dataset-committed", consumer(4, Set.of(new TopicPartition("dataset.committed", 0))))).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow()).containsEntry("lineage", "joining dataline-test")
                .containsEntry("dataset-committed", "generation 4, 1 partition(s)");
    }

    @Test
    void shouldBeUpOnceEveryConsumerHasJoinedEvenWithoutAPartition() {
        HealthCheckResponse response = check(Map.of("lineage", consumer(2, Set.of()))).call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("lineage", "generation 2, 0 partition(s)");
    }

    private static ConsumersJoined check(Map<String, KafkaConsumer<?, ?>> consumers) {
        ConsumersJoined check = new ConsumersJoined();
        check.clients = (KafkaClientService) Proxy.newProxyInstance(KafkaClientService.class.getClassLoader(),
                new Class<?>[] {KafkaClientService.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getConsumerChannels" -> consumers.keySet();
                    case "getConsumers" -> List.of(consumers.get((String) args[0]));
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return check;
    }

    private static KafkaConsumer<?, ?> consumer(int generation, Set<TopicPartition> assigned) {
        return (KafkaConsumer<?, ?>) Proxy.newProxyInstance(KafkaConsumer.class.getClassLoader(), new Class<?>[] {KafkaConsumer.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "consumerGroupMetadata" -> Uni.createFrom().item(
                            new ConsumerGroupMetadata("dataline-test", generation, "member-1", java.util.Optional.empty()));
                    case "getAssignments" -> Uni.createFrom().item(assigned);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
