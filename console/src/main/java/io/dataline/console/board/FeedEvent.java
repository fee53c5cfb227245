package io.dataline.console.board;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.events.EventJson;
import io.dataline.events.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record of a pipeline topic as the board needs it: which dataset and version it moves, or for a dead letter
 * which dataset (its key) and why. {@code datasetSlug} is null for a record that is not a readable event.
 */
public record FeedEvent(String topic, String dataset, String datasetSlug, String dataVersion, String branch, boolean deadLetter, String reason) {

    static FeedEvent of(ConsumerRecord<String, byte[]> record) {
        if (record.topic().endsWith(Topics.DLQ_SUFFIX)) {
            Header reason = record.headers().lastHeader("dead-letter-reason");
            return new FeedEvent(record.topic(), record.key(), null, null, null, true,
                    reason == null || reason.value() == null ? null : new String(reason.value(), StandardCharsets.UTF_8));
        }
        try {
            JsonNode event = EventJson.mapper().readTree(record.value());
            return new FeedEvent(record.topic(), event.path("dataset").asText(null), event.path("datasetSlug").asText(null),
                    event.path("dataVersion").asText(null), event.path("branch").asText("main"), false, null);
        } catch (Exception notJson) {
            return new FeedEvent(record.topic(), record.key(), null, null, null, false, "not a readable event");
        }
    }

    /** Whether the event moves a version through the pipeline (a row of the board). */
    public boolean movesAVersion() {
        return datasetSlug != null && dataVersion != null && Topics.PIPELINE.contains(topic);
    }
}
