package io.dataline.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** One record schema version of a dataset (append-only). */
@Entity
@Table(name = "dataset_schema")
@IdClass(DatasetSchema.Key.class)
public class DatasetSchema {

    @Id
    public Long datasetId;
    @Id
    public int version;
    public String schemaJson;
    public Instant createdAt;

    public static class Key implements Serializable {
        public Long datasetId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(datasetId, k.datasetId) && version == k.version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(datasetId, version);
        }
    }
}
