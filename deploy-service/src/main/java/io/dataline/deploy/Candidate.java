package io.dataline.deploy;

import io.dataline.service.RegisteredVersion;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A registered model version as announced on {@code model.registered}, and what this service decided about it. */
@Entity
@Table(name = "candidate")
public class Candidate extends RegisteredVersion {

    public String runId;
    public UUID registeredEventId;
    public String outcome;
    public String reason;
    public String gatesJson;
    public Instant receivedAt;
    /** The artifact's format as the event announced it; {@code null} for events from before it was carried. */
    public String artifactFormat;
}
