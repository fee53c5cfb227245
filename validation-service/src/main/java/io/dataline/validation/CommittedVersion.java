package io.dataline.validation;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A committed dataset version received from {@code dataset.committed}, waiting to be validated. */
@Entity
@Table(name = "committed_version")
public class CommittedVersion extends VersionRow {

    public UUID eventId;
    public String dataHash;
    public long recordCount;
    public Instant committedAt;
    public Instant receivedAt;
    /** The OpenTelemetry trace the commit started, as seen on arrival. */
    public String traceId;
}
