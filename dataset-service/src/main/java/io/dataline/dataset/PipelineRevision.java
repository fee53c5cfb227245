package io.dataline.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

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

    public static class Key implements Serializable {
        public Long datasetId;
        public int revision;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(datasetId, k.datasetId) && revision == k.revision;
        }

        @Override
        public int hashCode() {
            return Objects.hash(datasetId, revision);
        }
    }
}
