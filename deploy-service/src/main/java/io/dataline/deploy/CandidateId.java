package io.dataline.deploy;

import java.io.Serializable;

/** Primary key of {@link Candidate}: model name and version number. */
public record CandidateId(String model, int version) implements Serializable {
}
