package io.dataline.dataset;

import io.dataline.service.UuidEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** An API key: only the SHA-256 of its secret is stored. Scopes and datasets are comma-separated. */
@Entity
@Table(name = "api_key")
public class ApiKey extends UuidEntity {

    public String name;
    public String keyHash;
    public String scopes;
    /** Null = every dataset. */
    public String datasets;
    public Instant createdAt;
    public Instant revokedAt;
}
