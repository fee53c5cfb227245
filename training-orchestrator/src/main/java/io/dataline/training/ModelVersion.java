package io.dataline.training;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A registered model version and its lineage: data, pipeline revision, code, trainer, metrics, baseline, artifact. */
@Entity
@Table(name = "model_version")
@IdClass(ModelVersionId.class)
public class ModelVersion {

    @Id
    public String model;
    @Id
    public int version;
    public String dataset;
    public String datasetSlug;
    public String dataVersion;
    /** The branch of the pipeline that trained it; a model from a branch other than {@code main} is a candidate only. */
    public String branch;
    public String dataHash;
    public int pipelineRevision;
    public String codeCommit;
    public String trainer;
    public String template;
    public String specJson;
    public String metricsJson;
    public Integer baselineVersion;
    public String baselineMetricsJson;
    public String artifactUri;
    public String artifactSha256;
    public long artifactSize;
    public String artifactFormat;
    public String artifactPath;
    public int trainRecords;
    public int heldOutRecords;
    public String heldOutSampleJson;
    public UUID runId;
    public Instant createdAt;
}
