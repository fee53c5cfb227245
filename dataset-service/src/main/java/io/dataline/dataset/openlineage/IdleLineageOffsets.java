package io.dataline.dataset.openlineage;

import io.dataline.dataset.config.DatasetServiceConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * While OpenLineage is off its channel does not run ({@link LineageChannelSwitch}), so nothing would move the
 * {@code dataset-service-openlineage} group's offsets; turning lineage on later would then publish every pipeline event
 * still on the topics (or, for a group that never committed, all of them) — a flood of old runs at the catalog. This
 * keeps the off behaviour users had when the channel acknowledged everything: every
 * {@code dataline.openlineage.idle-offsets-interval} (and once at start) the group's committed offsets move to the end
 * of its topics, so lineage turned on starts at about that moment. Only an empty group is moved (Kafka refuses to alter
 * the offsets of a group with members, and a check comes first): a replica that has lineage on and consumes is never
 * overtaken. A broker that is away is retried at the next interval.
 */
@ApplicationScoped
public class IdleLineageOffsets {

    private static final Logger LOG = Logger.getLogger(IdleLineageOffsets.class);
    private static final long TIMEOUT_SECONDS = 15;

    @Inject
    DatasetServiceConfig config;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @ConfigProperty(name = "mp.messaging.incoming.openlineage.topics")
    List<String> topics;

    @ConfigProperty(name = "mp.messaging.incoming.openlineage.group.id")
    String group;

    private ScheduledExecutorService timer;

    void start(@Observes StartupEvent event) {
        // read here, at run time: the property is an expression over this run's configuration (LineageChannelSwitch)
        boolean channelEnabled = ConfigProvider.getConfig().getOptionalValue(LineageChannelSwitch.ENABLED, Boolean.class).orElse(true);
        if (channelEnabled || config.openlineage().idleOffsetsInterval().isZero()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "openlineage-idle-offsets");
            thread.setDaemon(true);
            return thread;
        });
        long every = config.openlineage().idleOffsetsInterval().toMillis();
        timer.scheduleWithFixedDelay(this::advanceQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void advanceQuietly() {
        try {
            advance();
        } catch (Exception e) {
            LOG.debugf(e, "the idle OpenLineage group's offsets were not moved this time");
        }
    }

    /**
     * Moves the group's committed offsets to the end of each partition of its topics that exists. Returns the number of
     * partitions moved, or -1 when the group has members (someone consumes it) and nothing was touched.
     */
    public int advance() throws InterruptedException, ExecutionException, TimeoutException {
        try (Admin admin = Admin.create(adminConfig())) {
            if (hasMembers(admin)) {
                return -1;
            }
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : admin.describeTopics(topics).topicNameValues().entrySet()) {
                try {
                    topic.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).partitions()
                            .forEach(p -> partitions.put(new TopicPartition(topic.getKey(), p.partition()), OffsetSpec.latest()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    // not created yet: nothing to skip on it
                }
            }
            if (partitions.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(partitions).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> moves = new HashMap<>();
            ends.forEach((partition, end) -> {
                OffsetAndMetadata at = committed.get(partition);
                if (at == null || at.offset() < end.offset()) {
                    moves.put(partition, new OffsetAndMetadata(end.offset()));
                }
            });
            if (!moves.isEmpty()) {
                admin.alterConsumerGroupOffsets(group, moves).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                LOG.debugf("OpenLineage is off: moved group %s to the end of %d partitions", group, moves.size());
            }
            return moves.size();
        }
    }

    private boolean hasMembers(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return !description.members().isEmpty() || !(description.groupState() == GroupState.EMPTY || description.groupState() == GroupState.DEAD);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    private Map<String, Object> adminConfig() {
        Set<String> known = AdminClientConfig.configNames();
        Map<String, Object> admin = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (known.contains(key)) {
                admin.put(key, value);
            }
        });
        admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "dataset-service-openlineage-idle");
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS) / 2);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        return admin;
    }
}
