package io.dataline.deploy;

import java.io.Serializable;

/** Primary key of {@link ModelStage}: model name and stage. */
public record ModelStageId(String model, String stage) implements Serializable {
}
