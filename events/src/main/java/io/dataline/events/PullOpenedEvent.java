package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A data pull request was opened: merge {@code from} into {@code into}. {@code dataVersion} is the head of
 * {@code from} when it opened, {@code base} the merge base. Published by dataset-service on {@link Topics#PULL_OPENED}.
 */
public record PullOpenedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        int number, String from, String into, String title, String author, String base, String branch)
        implements PipelineEvent {
}
