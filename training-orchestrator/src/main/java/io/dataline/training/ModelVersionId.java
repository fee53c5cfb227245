package io.dataline.training;

import java.io.Serializable;

/** Primary key of {@link ModelVersion}: model name and version number. */
public record ModelVersionId(String model, int version) implements Serializable {
}
