package io.dataline.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataline.events.Topics;
import io.dataline.infra.KafkaBroker;
import io.dataline.testsupport.SampleEvents;
import io.dataline.testsupport.TopicClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Covers the ops commands on a real broker: {@code watch} shows pipeline events and dead letters as a timeline
 * (and nothing of other topics), {@code dlq list} shows each dead letter with its id, source and reason, and
 * {@code dlq replay} puts the original bytes back on the source topic, one by id or all, and refuses unknown ids; the
 * console's view reads only the latest dead letters of a topic, with its total.
 */
class TopicOpsTest {

    private static KafkaBroker broker;
    private static TopicClient topics;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.startTemporary();
        topics = new TopicClient(broker.bootstrapServers(), null);
    }

    @AfterAll
    static void stopBroker() {
        topics.close();
        broker.close();
    }

    @Test
    void shouldShowEventsAndDeadLettersAsOneTimeline() throws Exception {
        topics.publish(Topics.DATASET_COMMITTED, SampleEvents.committed("Timeline"));
        io.dataline.events.PipelineEvent committed = SampleEvents.committed("Timeline");
        topics.publish(Topics.PULL_CHECKS_COMPLETED, new io.dataline.events.PullChecksCompletedEvent(java.util.UUID.randomUUID(),
                committed.occurredAt(), "Timeline", committed.datasetSlug(), committed.dataVersion(), null, "dataset-service", 3, "relabel", "main",
                "failure", "rejected", "candidate v2 failed the promotion gates", "relabel"));
        topics.publishRaw(deadLetter("{broken", "not JSON on dataset.committed: Unexpected character"));
        topics.publishRaw("unrelated.topic", "k", "x".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();

        new TopicOps(broker.bootstrapServers(), new PrintStream(printed, true, StandardCharsets.UTF_8))
                .watch(true, () -> System.nanoTime() > until);

        String timeline = printed.toString(StandardCharsets.UTF_8);
        assertThat(timeline).contains("dataset.committed").contains("Timeline").contains("2 records (+2 ~0 -0) \"Added Q4 2023 feedback data\"")
                .contains("DEAD LETTER from dataset.committed: not JSON on dataset.committed").doesNotContain("unrelated.topic")
                .contains("pull.checks-completed").contains("#3 checks failure: candidate v2 failed the promotion gates");
    }

    @Test
    void shouldListAndReplayDeadLetters() {
        String dlq = "dataset.committed.ops-test.dlq";
        topics.publishRaw(deadLetter(dlq, "first-poison", "reason one"));
        topics.publishRaw(deadLetter(dlq, "second-poison", "reason two"));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TopicOps ops = new TopicOps(broker.bootstrapServers(), new PrintStream(printed, true, StandardCharsets.UTF_8));

        assertThat(ops.dlqList()).isGreaterThanOrEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains(dlq + ": 2 dead letter(s)").contains("id 0:0").contains("reason two");

        assertThat(ops.dlqReplay(dlq, List.of("0:1"))).isEqualTo(1);
        List<ConsumerRecord<String, byte[]>> back = topics.read(Topics.DATASET_COMMITTED, 1,
                r -> "ops".equals(r.key()) && "second-poison".equals(new String(r.value(), StandardCharsets.UTF_8)), Duration.ofSeconds(30));
        assertThat(TopicClient.header(back.get(0), "dataline-replayed-from")).isEqualTo(dlq + ":0:1");
        assertThat(back.get(0).headers().lastHeader("dead-letter-reason")).isNull();
        assertThat(ops.dlqReplay(dlq, List.of())).isEqualTo(2);
        assertThatThrownBy(() -> ops.dlqReplay(dlq, List.of("0:99"))).isInstanceOf(LauncherException.class).hasMessageContaining("0:99");
        assertThatThrownBy(() -> ops.dlqReplay("dataset.committed", List.of())).isInstanceOf(LauncherException.class);

        // the console's page: the latest letters of each topic, with the topic's total
        io.dataline.events.kafka.DeadLetters.Latest latest = new io.dataline.events.kafka.DeadLetters(broker.bootstrapServers()).latest(1).get(dlq);
        assertThat(latest.total()).isEqualTo(2);
        assertThat(latest.letters()).extracting(io.dataline.events.kafka.DeadLetters.Letter::id).containsExactly("0:1");
        assertThat(latest.letters().get(0).reason()).isEqualTo("reason two");
        assertThat(latest.letters().get(0).source()).isEqualTo(Topics.DATASET_COMMITTED);
    }

    private static ProducerRecord<String, byte[]> deadLetter(String value, String reason) {
        return deadLetter(Topics.deadLetter(Topics.DATASET_COMMITTED, "validation-service"), value, reason);
    }

    private static ProducerRecord<String, byte[]> deadLetter(String dlq, String value, String reason) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(dlq, "ops", value.getBytes(StandardCharsets.UTF_8));
        record.headers().add("dead-letter-reason", reason.getBytes(StandardCharsets.UTF_8));
        record.headers().add("dead-letter-topic", Topics.DATASET_COMMITTED.getBytes(StandardCharsets.UTF_8));
        record.headers().add("dead-letter-offset", "7".getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
