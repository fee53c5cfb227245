package io.dataline.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** One numbered revision of a dataset's pipeline spec (validation, training, promotion). */
@Entity
@Table(name = "pipeline_revision")
@IdClass(PipelineRevision.Key.class)
public class PipelineRevision {

    @Id
    public Long datasetId;
    @Id
    public int revision;
    public String specJson;
    public Instant createdAt;

    /** The primary key: the dataset and the revision number. */
    public record Key(Long datasetId, int revision) implements Serializable {
    }
}
