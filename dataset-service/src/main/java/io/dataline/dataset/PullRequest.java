package io.dataline.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;

/** A proposal to merge one branch of a dataset into another: open, then merged or closed. */
@Entity
@Table(name = "pull_request")
@IdClass(PullRequest.Key.class)
public class PullRequest {

    @Id
    public Long datasetId;
    /** Numbered per dataset from 1. */
    @Id
    public int number;
    public String fromBranch;
    public String intoBranch;
    public String title;
    public String description;
    /** {@code open}, {@code merged} or {@code closed}. */
    public String state;
    public String author;
    /** The id of the API key that opened it: that key may not review it. */
    public String authorKey;
    public Instant createdAt;
    public Instant closedAt;
    /** The version the merge made (or, for a fast-forward, the head it moved to). */
    public String mergeVersion;
    /** The head of {@code from} whose completed checks were announced last ({@code pull.checks-completed}). */
    public String checksReported;

    /** The primary key: the dataset and the number. */
    public record Key(Long datasetId, int number) implements Serializable {
    }
}
