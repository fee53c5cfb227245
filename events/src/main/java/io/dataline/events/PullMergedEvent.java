package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A pull request was merged: {@code dataVersion} is the new head of {@code into} (the merge commit, or the head of
 * {@code from} for a fast-forward). Published by dataset-service on {@link Topics#PULL_MERGED}; the merged version's
 * pipeline starts with its own {@code dataset.committed} when {@code into} is {@code main}.
 */
public record PullMergedEvent(
        UUID eventId, Instant occurredAt, String dataset, String datasetSlug, String dataVersion, UUID causationId,
        String producer,
        int number, String from, String into, String mergedBy, boolean fastForward, String branch)
        implements PipelineEvent {
}
