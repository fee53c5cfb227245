package io.dataline.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

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

    /** The primary key: the dataset and the schema version. */
    public record Key(Long datasetId, int version) implements Serializable {
    }
}
