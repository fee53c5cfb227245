package io.dataline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * The envelope every pipeline event carries.
 * <ul>
 * <li>{@code eventId}: unique id of this event; consumers store it to stay idempotent.</li>
 * <li>{@code occurredAt}: when the producing service made the state change.</li>
 * <li>{@code dataset}, {@code datasetSlug}: display name (also the Kafka key) and immutable slug.</li>
 * <li>{@code dataVersion}: the commit hash, the pipeline's global id for one run through every stage.</li>
 * <li>{@code causationId}: the {@code eventId} that caused this event; {@code null} for a commit.</li>
 * <li>{@code producer}: the service that wrote the event.</li>
 * <li>{@code branch}: the dataset branch the version belongs to; {@code null} (events from before branches) means
 * {@link #MAIN}.</li>
 * </ul>
 */
public interface PipelineEvent {

    /** Every dataset's default branch: versions on it are the ones that may move {@code staging}. */
    String MAIN = "main";

    UUID eventId();

    Instant occurredAt();

    String dataset();

    String datasetSlug();

    String dataVersion();

    UUID causationId();

    String producer();

    String branch();

    /** The branch, {@link #MAIN} when the event names none. */
    default String branchOrMain() {
        return branch() == null ? MAIN : branch();
    }

    /** Whether the event is about a version on {@link #MAIN}. */
    default boolean onMain() {
        return MAIN.equals(branchOrMain());
    }
}
