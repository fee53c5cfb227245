package io.dataline.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataline.events.DatasetCommittedEvent;
import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.DatasetServiceProcess;
import io.dataline.testsupport.TopicClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Covers dataset-service being down while a commit event arrives: a short outage is ridden out by the retries with
 * back-off (the version is then validated normally); a long one ends in the DLQ with the failure as the reason, and
 * no report or verdict is recorded for it.
 */
@QuarkusTest
class DatasetServiceOutageTest {

    @Inject
    TopicClient topics;

    @Inject
    Reports reports;

    @Test
    void shouldRetryThroughAShortOutageAndDeadLetterAfterALongOne() throws Exception {
        String name = DatasetServiceApi.uniqueName("Outage");
        String slug = DatasetServiceApi.create(name, null);
        String version = DatasetServiceApi.commit(name, List.of(DatasetServiceApi.record("a", "x", "positive")), null);
        await().atMost(Duration.ofSeconds(60)).until(() -> reports.of(slug, version).size() == 1);
        DatasetCommittedEvent commit = topics.read(Topics.DATASET_COMMITTED, 1, r -> name.equals(r.key()), Duration.ofSeconds(30))
                .stream().map(DatasetServiceOutageTest::read).findFirst().orElseThrow();

        DatasetServiceProcess.instance().stop();
        try {
            topics.publish(Topics.DATASET_COMMITTED, again(commit)); // the same version announced anew: validated again
            Thread.sleep(700); // a few attempts fail while dataset-service is down
        } finally {
            DatasetServiceProcess.instance().start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> reports.of(slug, version).size() == 2);

        DatasetServiceProcess.instance().stop();
        DatasetCommittedEvent lost = again(commit);
        try {
            topics.publish(Topics.DATASET_COMMITTED, lost);
            ConsumerRecord<String, byte[]> dead = topics.read(DatasetCommittedDeadLetterTest.DLQ, 1,
                    r -> name.equals(r.key()) && read(r).eventId().equals(lost.eventId()), Duration.ofSeconds(120)).get(0);
            assertThat(TopicClient.header(dead, "dead-letter-reason")).contains("dataset-service is unreachable");
        } finally {
            DatasetServiceProcess.instance().start();
        }
        assertThat(reports.of(slug, version)).hasSize(2);
    }

    private static DatasetCommittedEvent again(DatasetCommittedEvent e) {
        return new DatasetCommittedEvent(UUID.randomUUID(), e.occurredAt(), e.dataset(), e.datasetSlug(), e.dataVersion(), e.causationId(),
                e.producer(), e.dataHash(), e.parent(), e.message(), e.author(), e.committedAt(), e.recordCount(), e.added(), e.updated(),
                e.deleted(), e.pipelineRevision(), e.codeCommit());
    }

    private static DatasetCommittedEvent read(ConsumerRecord<String, byte[]> record) {
        try {
            return EventJson.mapper().readValue(record.value(), DatasetCommittedEvent.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
