package io.dataline.dataset;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One numbered revision of a dataset's pipeline spec (validation, training, promotion): {@code number} is the revision. */
@Entity
@Table(name = "pipeline_revision")
@AttributeOverride(name = "number", column = @Column(name = "revision"))
@AttributeOverride(name = "json", column = @Column(name = "spec_json"))
public class PipelineRevision extends DatasetDocument {
}
