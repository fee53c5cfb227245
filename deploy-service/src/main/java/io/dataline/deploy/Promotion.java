package io.dataline.deploy;

import io.dataline.service.GeneratedIdEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One move of a stage alias in the append-only audit trail (a database trigger refuses updates and deletes). */
@Entity
@Table(name = "promotion")
public class Promotion extends GeneratedIdEntity {

    public String model;
    public String stage;
    public int version;
    public Integer previousVersion;
    public String dataVersion;
    public Instant at;
    public String cause;
    public boolean rollback;
    public boolean forced;
    public String gatesJson;
    public UUID eventId;
}
