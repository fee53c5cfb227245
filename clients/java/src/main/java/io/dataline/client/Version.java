package io.dataline.client;

import java.time.Instant;

/** A committed version: its hash (the pipeline's id for it), data hash, parent, what the commit changed and its branch. */
public record Version(String hash, String dataHash, String parent, String message, String author, Instant committedAt, long recordCount,
        long added, long updated, long deleted, int pipelineRevision, String branch) {
}
