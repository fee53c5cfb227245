package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The checks of an open pull request finished on the head of {@code from} ({@code dataVersion}): the pipeline ran that
 * version to its end. {@code state} is {@code success} or {@code failure}; {@code outcome} is how the pipeline ended
 * ({@code validated}, {@code passed}, {@code rejected}, {@code failed}) and {@code summary} says it in a sentence.
 * {@code causationId} is the pipeline event that ended it. Published by dataset-service on
 * {@link Topics#PULL_CHECKS_COMPLETED}.
 */
public record PullChecksCompletedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        int number, String from, String into, String state, String outcome, String summary, String branch)
        implements PipelineEvent {
}
