package io.dataline.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
 * Covers dataset-service being down while a commit event arrives: an outage is ridden out by retries with back-off
 * however long it lasts (here well past the retry count, which bounds only unexpected failures), nothing is
 * dead-lettered, and the version is validated once dataset-service is back.
 */
@QuarkusTest
class DatasetServiceOutageTest {

    @Inject
    TopicClient topics;

    @Inject
    Reports reports;

    @Test
    void shouldRetryThroughAnOutageOfAnyLengthAndNeverDeadLetterIt() throws Exception {
        Reports.Validated first = reports.oneValidatedVersion("Outage");
        String name = first.name();
        String slug = first.slug();
        String version = first.version();
        DatasetCommittedEvent commit = topics.read(Topics.DATASET_COMMITTED, 1, r -> name.equals(r.key()), Duration.ofSeconds(30))
                .stream().map(DatasetServiceOutageTest::read).findFirst().orElseThrow();

        DatasetCommittedEvent duringOutage = again(commit); // the same version announced anew: validated again
        DatasetServiceProcess.instance().stop();
        try {
            topics.publish(Topics.DATASET_COMMITTED, duringOutage);
            // %test retries: 200 ms doubling to 1 s, 3 retries for unexpected failures (about 2.4 s in all)
            Thread.sleep(6_000);
            assertThat(reports.of(slug, version)).hasSize(1);
        } finally {
            DatasetServiceProcess.instance().start();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> reports.of(slug, version).size() == 2);
        assertThatThrownBy(() -> topics.read(DatasetCommittedDeadLetterTest.DLQ, 1,
                r -> name.equals(r.key()) && read(r).eventId().equals(duringOutage.eventId()), Duration.ofSeconds(3)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("only 0 of 1");
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
