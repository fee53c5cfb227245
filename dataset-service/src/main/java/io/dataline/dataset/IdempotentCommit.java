package io.dataline.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** The version a commit request with an {@code Idempotency-Key} produced, and a fingerprint of that request. */
@Entity
@Table(name = "idempotent_commit")
@IdClass(IdempotentCommit.Key.class)
public class IdempotentCommit {

    @Id
    public Long datasetId;
    /** The id of the API key that sent it: an Idempotency-Key is scoped to its sender. */
    @Id
    public String apiKey;
    @Id
    public String idemKey;
    public String requestHash;
    public String versionHash;
    public Instant createdAt;

    /** The primary key: the dataset, the sending API key and the Idempotency-Key. */
    public record Key(Long datasetId, String apiKey, String idemKey) implements Serializable {
    }
}
