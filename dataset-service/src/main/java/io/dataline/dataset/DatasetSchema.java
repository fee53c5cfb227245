package io.dataline.dataset;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One record schema version of a dataset (append-only): {@code number} is the schema version. */
@Entity
@Table(name = "dataset_schema")
@AttributeOverride(name = "number", column = @Column(name = "version"))
@AttributeOverride(name = "json", column = @Column(name = "schema_json"))
public class DatasetSchema extends DatasetDocument {
}
