package io.dataline.service.messaging;

import io.dataline.events.Topics;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The failure strategy of every incoming channel ({@code failure-strategy=dataline-dlq}): SmallRye's dead-letter
 * queue, but the topic is chosen per record, {@code <record's topic>.<this service>.dlq} ({@link Topics#deadLetter}),
 * so one channel may read several topics (dataset-service's lineage projection reads eight) and each topic still has
 * its own dead-letter topic. The record goes there unchanged, with SmallRye's {@code dead-letter-*} headers (reason,
 * origin topic, partition and offset); the producer is configured by the channel's {@code dead-letter-queue.*}.
 * Unreadable records (deserialization failures) take the same path.
 */
@ApplicationScoped
@Identifier(PerTopicDeadLetters.STRATEGY)
public class PerTopicDeadLetters implements KafkaFailureHandler.Factory {

    public static final String STRATEGY = "dataline-dlq";

    @Inject
    @Any
    Instance<KafkaFailureHandler.Factory> strategies;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    @Override
    public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx, KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        KafkaFailureHandler deadLetters = strategies.select(Identifier.Literal.of(KafkaFailureHandler.Strategy.DEAD_LETTER_QUEUE)).get()
                .create(config, vertx, consumer, reportFailure);
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                OutgoingKafkaRecordMetadata<Object> to = OutgoingKafkaRecordMetadata.builder()
                        .withTopic(Topics.deadLetter(record.getTopic(), service)).build();
                return deadLetters.handle(record, reason, (metadata == null ? Metadata.empty() : metadata).with(to));
            }

            @Override
            public void terminate() {
                deadLetters.terminate();
            }
        };
    }
}
