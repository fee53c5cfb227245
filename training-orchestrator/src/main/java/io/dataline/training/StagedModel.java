package io.dataline.training;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The version of a model in staging, as last announced on {@code model.promoted}: the baseline for new candidates. */
@Entity
@Table(name = "staged_model")
public class StagedModel {

    @Id
    public String model;
    public int version;
    public Instant since;
    public UUID eventId;
}
