package io.dataline.dataset;

import io.dataline.dataset.versioning.KeyType;
import io.dataline.dataset.versioning.TreeFormat;
import io.dataline.service.GeneratedIdEntity;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A dataset: display name, immutable slug, primary key, current schema version and pipeline revision, head, and the
 * format its version trees are cut in (fixed at creation: it decides every hash).
 */
@Entity
@Table(name = "dataset")
public class Dataset extends GeneratedIdEntity {

    public String name;
    public String slug;
    public String description;
    public String primaryKey;
    @Enumerated(EnumType.STRING)
    public KeyType keyType;
    public int schemaVersion;
    public int pipelineRevision;
    /** Hash of the newest version, null before the first commit. */
    public String head;
    public Instant createdAt;
    @Convert(converter = TreeFormatColumn.class)
    public TreeFormat treeFormat;
}
