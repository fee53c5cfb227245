package io.dataline.dataset;

import io.dataline.service.GeneratedIdEntity;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One stage a version reached, projected from the pipeline event that announced it. */
@Entity
@Table(name = "pipeline_stage")
public class PipelineStage extends GeneratedIdEntity {

    public UUID eventId;
    public String topic;
    public String datasetSlug;
    public String dataVersion;
    /** The branch whose pipeline this stage belongs to ({@code main} for events that name none). */
    public String branch;
    public String stage;
    public String status;
    public Instant at;
    /** The event's essentials as JSON. */
    public String detail;
    public String link;
}
