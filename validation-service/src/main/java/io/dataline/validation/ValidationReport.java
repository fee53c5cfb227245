package io.dataline.validation;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The outcome of validating one version: every check and drift score (as JSON), and the summary. */
@Entity
@Table(name = "validation_report")
public class ValidationReport extends VersionRow {

    /** The branch whose pipeline ran this validation. */
    public String branch;
    /** The version drift was measured against: the parent on main, the head of main for a branch's version. */
    public String driftBase;
    public boolean passed;
    public long recordCount;
    public int checksRun;
    public int checksFailed;
    public String checksJson;
    public String driftJson;
    /** Records without a value (absent or null) in each column of the schema and each field with rules; null in reports from before it was kept. */
    public String nullCountsJson;
    /** The dataset.committed event (or rerun) that caused this run. */
    public UUID causeEventId;
    public Instant createdAt;
}
