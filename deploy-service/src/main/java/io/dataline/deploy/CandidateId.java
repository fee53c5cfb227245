package io.dataline.deploy;

import java.io.Serializable;
import java.util.Objects;

/** Primary key of {@link Candidate}: model name and version number. */
public class CandidateId implements Serializable {

    public String model;
    public int version;

    public CandidateId() {
    }

    public CandidateId(String model, int version) {
        this.model = model;
        this.version = version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CandidateId other && version == other.version && Objects.equals(model, other.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, version);
    }
}
