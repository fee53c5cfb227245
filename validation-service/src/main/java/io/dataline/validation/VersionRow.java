package io.dataline.validation;

import io.dataline.service.GeneratedIdEntity;
import jakarta.persistence.MappedSuperclass;

/**
 * Which dataset version a row of this service is about: the dataset (display name and slug), the version, its parent
 * and the pipeline revision it is validated under. A version waiting in the inbox ({@link CommittedVersion}) and its
 * report ({@link ValidationReport}) both carry them.
 */
@MappedSuperclass
public abstract class VersionRow extends GeneratedIdEntity {

    public String dataset;
    public String datasetSlug;
    public String dataVersion;
    public String parent;
    public int pipelineRevision;

    /** Names the version this row is about. */
    public void about(String dataset, String datasetSlug, String dataVersion, String parent, int pipelineRevision) {
        this.dataset = dataset;
        this.datasetSlug = datasetSlug;
        this.dataVersion = dataVersion;
        this.parent = parent;
        this.pipelineRevision = pipelineRevision;
    }
}
