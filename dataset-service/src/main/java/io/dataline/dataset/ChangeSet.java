package io.dataline.dataset;

import io.dataline.service.UuidEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** A working area of one dataset that one API key owns: its staged changes are committed together, and only by it. */
@Entity
@Table(name = "change_set")
public class ChangeSet extends UuidEntity {

    public Long datasetId;
    /** The id of the API key that opened it ("admin" for the configured admin key). */
    public String ownerKey;
    /** The branch its commit goes to ({@code main} unless it was opened on another). */
    public String branch;
    public Instant createdAt;
    public Instant lastUsedAt;
}
