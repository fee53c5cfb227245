package io.dataline.training;

import java.io.Serializable;
import java.util.Objects;

/** Primary key of {@link ModelVersion}: model name and version number. */
public class ModelVersionId implements Serializable {

    public String model;
    public int version;

    public ModelVersionId() {
    }

    public ModelVersionId(String model, int version) {
        this.model = model;
        this.version = version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelVersionId other && version == other.version && Objects.equals(model, other.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, version);
    }
}
