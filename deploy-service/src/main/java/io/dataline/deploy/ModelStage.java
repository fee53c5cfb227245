package io.dataline.deploy;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;

/** A stage alias ({@code staging}): which version of a model holds it, since when, and its artifact. */
@Entity
@Table(name = "model_stage")
@IdClass(ModelStageId.class)
public class ModelStage {

    public static final String STAGING = "staging";

    @Id
    public String model;
    @Id
    public String stage;
    public int version;
    public String dataset;
    public String datasetSlug;
    public String dataVersion;
    public String artifactUri;
    public String artifactSha256;
    public Instant since;
}
