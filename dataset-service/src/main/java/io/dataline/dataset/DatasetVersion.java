package io.dataline.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** An immutable committed version: the root of its record tree ({@code dataHash}) plus commit metadata. */
@Entity
@Table(name = "dataset_version")
@IdClass(DatasetVersion.Key.class)
public class DatasetVersion {

    @Id
    public Long datasetId;
    @Id
    public String hash;
    public long seq;
    public String parent;
    public String dataHash;
    public String message;
    public String author;
    public Instant committedAt;
    public long recordCount;
    public long added;
    public long updated;
    public long deleted;
    public int pipelineRevision;
    public int schemaVersion;
    public String codeCommit;
    /** The branch it was committed on. */
    public String branch;
    /** The second parent of a merge: the head of the branch merged (null for any other commit). */
    public String mergeParent;

    /** The primary key: the dataset and the commit hash. */
    public record Key(Long datasetId, String hash) implements Serializable {
    }
}
