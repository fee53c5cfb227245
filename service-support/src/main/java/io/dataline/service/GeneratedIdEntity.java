package io.dataline.service;

import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

/**
 * The key of every table whose rows are numbered by the database ({@code bigserial id}): entities extend this instead
 * of repeating the mapping. The id is set when the row is inserted.
 */
@MappedSuperclass
public abstract class GeneratedIdEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
}
