package io.dataline.dataset;

import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.MappedSuperclass;
import java.io.Serializable;
import java.time.Instant;

/**
 * A numbered, append-only JSON document of a dataset: its record schema versions ({@link DatasetSchema}) and its
 * pipeline revisions ({@link PipelineRevision}). Each table names the number and the document columns its own way
 * ({@code @AttributeOverride}); rows are never updated, a change adds the next number.
 */
@MappedSuperclass
@IdClass(DatasetDocument.Key.class)
public abstract class DatasetDocument {

    @Id
    public Long datasetId;
    /** Numbered per dataset from 1. */
    @Id
    public int number;
    public String json;
    public Instant createdAt;

    /** The primary key: the dataset and the document's number. */
    public record Key(Long datasetId, int number) implements Serializable {
    }

    /** Fills a new row: the dataset's document {@code number}, created {@code at}. */
    public void fill(Dataset dataset, int number, String json, Instant at) {
        this.datasetId = dataset.id;
        this.number = number;
        this.json = json;
        this.createdAt = at;
    }
}
