package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A pull request was closed without merging; {@code dataVersion} is the head of {@code from} at that moment.
 * Published by dataset-service on {@link Topics#PULL_CLOSED}.
 */
public record PullClosedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        int number, String from, String into, String closedBy, String branch)
        implements PipelineEvent {
}
