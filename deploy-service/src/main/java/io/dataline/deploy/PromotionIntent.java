package io.dataline.deploy;

import io.dataline.service.UuidEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** A move of the staging alias from its start: pending, then done, refused or abandoned (see V3). */
@Entity
@Table(name = "promotion_intent")
public class PromotionIntent extends UuidEntity {

    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String REFUSED = "refused";
    public static final String ABANDONED = "abandoned";

    public String model;
    public Integer fromVersion;
    public int toVersion;
    public boolean rollback;
    public String cause;
    public String state;
    public String detail;
    public Instant createdAt;
    public Instant updatedAt;
}
