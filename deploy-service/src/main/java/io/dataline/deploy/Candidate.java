package io.dataline.deploy;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A registered model version as announced on {@code model.registered}, and what this service decided about it. */
@Entity
@Table(name = "candidate")
@IdClass(CandidateId.class)
public class Candidate {

    @Id
    public String model;
    @Id
    public int version;
    public String dataset;
    public String datasetSlug;
    public String dataVersion;
    /** The branch whose pipeline trained it: only a model from {@code main} may be staged. */
    public String branch;
    public int pipelineRevision;
    public String runId;
    public String metricsJson;
    public Integer baselineVersion;
    public String baselineMetricsJson;
    public String artifactUri;
    public String artifactSha256;
    public UUID registeredEventId;
    public String outcome;
    public String reason;
    public String gatesJson;
    public Instant receivedAt;
}
