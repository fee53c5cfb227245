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
 * </ul>
 */
public interface PipelineEvent {

    UUID eventId();

    Instant occurredAt();

    String dataset();

    String datasetSlug();

    String dataVersion();

    UUID causationId();

    String producer();
}
