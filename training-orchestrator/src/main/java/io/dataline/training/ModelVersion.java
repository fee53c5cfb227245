package io.dataline.training;

import io.dataline.service.RegisteredVersion;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A registered model version and its lineage: data, pipeline revision, code, trainer, metrics, baseline, artifact. */
@Entity
@Table(name = "model_version")
public class ModelVersion extends RegisteredVersion {

    public String dataHash;
    public String codeCommit;
    public String trainer;
    public String template;
    public String specJson;
    public long artifactSize;
    public String artifactFormat;
    public String artifactPath;
    public int trainRecords;
    public int heldOutRecords;
    public String heldOutSampleJson;
    public UUID runId;
    public Instant createdAt;
}
