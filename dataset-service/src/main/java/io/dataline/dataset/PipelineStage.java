package io.dataline.dataset;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One stage a version reached, projected from the pipeline event that announced it. */
@Entity
@Table(name = "pipeline_stage")
public class PipelineStage {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public UUID eventId;
    public String topic;
    public String datasetSlug;
    public String dataVersion;
    public String stage;
    public String status;
    public Instant at;
    /** The event's essentials as JSON. */
    public String detail;
    public String link;
}
