package io.dataline.service;

import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.MappedSuperclass;
import java.io.Serializable;

/**
 * A model version as {@code model.registered} announces it: its key and the lineage every service that keeps model
 * versions stores with it (the orchestrator's registry, deploy-service's candidates). Entities extend this and add
 * their own columns; the table keeps these columns under the same names.
 */
@MappedSuperclass
@IdClass(RegisteredVersion.Key.class)
public abstract class RegisteredVersion {

    @Id
    public String model;
    @Id
    public int version;
    public String dataset;
    public String datasetSlug;
    public String dataVersion;
    /** The branch whose pipeline trained it: only a model from {@code main} may be staged; others are candidates. */
    public String branch;
    public int pipelineRevision;
    public String metricsJson;
    public Integer baselineVersion;
    public String baselineMetricsJson;
    public String artifactUri;
    public String artifactSha256;

    /** The primary key: the model and its version number. */
    public record Key(String model, int version) implements Serializable {
    }
}
