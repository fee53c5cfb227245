package io.dataline.client;

import java.time.Instant;

/** A committed version: its hash (the pipeline's id for it), data hash, parent and what the commit changed. */
public record Version(String hash, String dataHash, String parent, String message, String author, Instant committedAt, long recordCount,
        long added, long updated, long deleted, int pipelineRevision) {
}
