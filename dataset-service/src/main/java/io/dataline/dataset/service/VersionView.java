package io.dataline.dataset.service;

import io.dataline.dataset.Dataset;
import io.dataline.dataset.DatasetVersion;
import java.time.Instant;

/**
 * A committed version as the API shows it (also the answer to a commit); it names the schema version it was checked
 * against, and the tree format its {@code dataHash} was computed in (its dataset's), which whoever rebuilds that hash
 * from the records needs.
 */
public record VersionView(String hash, String dataHash, String parent, String message, String author, Instant committedAt,
        long recordCount, long added, long updated, long deleted, int pipelineRevision, int schemaVersion, String codeCommit,
        String branch, String mergeParent, int treeFormat) {

    public static VersionView of(Dataset dataset, DatasetVersion v) {
        return new VersionView(v.hash, v.dataHash, v.parent, v.message, v.author, v.committedAt, v.recordCount, v.added, v.updated,
                v.deleted, v.pipelineRevision, v.schemaVersion, v.codeCommit, v.branch, v.mergeParent, dataset.treeFormat.id());
    }
}
