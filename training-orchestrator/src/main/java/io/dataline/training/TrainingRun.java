package io.dataline.training;

import io.dataline.service.UuidEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One training run of a dataset version: a persisted state machine (see {@link RunState}). */
@Entity
@Table(name = "training_run")
public class TrainingRun extends UuidEntity {

    /** The default branch of every dataset. */
    public static final String MAIN = io.dataline.events.PipelineEvent.MAIN;

    public static final String TRIGGER_EVENT = "event";
    public static final String TRIGGER_MANUAL = "manual";

    public String dataset;
    public String datasetSlug;
    public String dataVersion;
    /** The branch whose pipeline this run belongs to ({@code main}, or a branch whose model is a candidate). */
    public String branch = MAIN;
    public int pipelineRevision;
    public String model;
    public String trigger;
    public UUID causeEventId;
    public String requestedBy;
    public String trainer;
    public String template;
    public String specJson;
    @Enumerated(EnumType.STRING)
    public RunState state;
    public int attempts;
    public String reason;
    public String logsTail;
    public String traceparent;
    public String uploadTokenHash;
    public Integer modelVersion;
    public Instant createdAt;
    public Instant startedAt;
    public Instant heartbeatAt;
    public Instant finishedAt;
}
