package io.dataline.deploy;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A move of the staging alias from its start: pending, then done, refused or abandoned (see V3). */
@Entity
@Table(name = "promotion_intent")
public class PromotionIntent extends PanacheEntityBase {

    public static final String PENDING = "pending";
    public static final String DONE = "done";
    public static final String REFUSED = "refused";
    public static final String ABANDONED = "abandoned";

    @Id
    public UUID id;
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
