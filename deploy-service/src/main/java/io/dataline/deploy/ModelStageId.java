package io.dataline.deploy;

import java.io.Serializable;
import java.util.Objects;

/** Primary key of {@link ModelStage}: model name and stage. */
public class ModelStageId implements Serializable {

    public String model;
    public String stage;

    public ModelStageId() {
    }

    public ModelStageId(String model, String stage) {
        this.model = model;
        this.stage = stage;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelStageId other && Objects.equals(model, other.model) && Objects.equals(stage, other.stage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, stage);
    }
}
