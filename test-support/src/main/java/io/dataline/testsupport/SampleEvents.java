package io.dataline.testsupport;

import io.dataline.events.DatasetCommittedEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/** Valid pipeline events for services' tests, unique per call so tests sharing a broker and database don't collide. */
public final class SampleEvents {

    private SampleEvents() {
    }

    /** A first commit of {@code dataset} (no parent) with a fresh event id and version hash. */
    public static DatasetCommittedEvent committed(String dataset) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String slug = dataset.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        UUID eventId = UUID.randomUUID();
        return new DatasetCommittedEvent(eventId, now, dataset, slug, sha256("commit " + eventId), null,
                "dataset-service", sha256("data " + eventId), null, "Added Q4 2023 feedback data", "ingest-bot", now,
                2, 2, 0, 0, 1, null);
    }

    /** Lowercase hex SHA-256 of a string. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
