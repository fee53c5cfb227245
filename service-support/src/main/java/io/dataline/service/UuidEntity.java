package io.dataline.service;

import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.util.UUID;

/**
 * The key of every table whose rows the application names with a random UUID ({@code id uuid primary key}), so that
 * the id is known before the row is written (it goes into events, URLs and logs in the same transaction): entities
 * extend this instead of repeating the mapping.
 */
@MappedSuperclass
public abstract class UuidEntity {

    @Id
    public UUID id;
}
