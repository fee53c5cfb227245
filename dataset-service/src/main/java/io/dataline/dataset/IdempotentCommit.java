package io.dataline.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** The version a commit request with an {@code Idempotency-Key} produced, and a fingerprint of that request. */
@Entity
@Table(name = "idempotent_commit")
@IdClass(IdempotentCommit.Key.class)
public class IdempotentCommit {

    @Id
    public Long datasetId;
    @Id
    public String idemKey;
    public String requestHash;
    public String versionHash;
    public Instant createdAt;

    public static class Key implements Serializable {
        public Long datasetId;
        public String idemKey;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(datasetId, k.datasetId) && Objects.equals(idemKey, k.idemKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(datasetId, idemKey);
        }
    }
}
