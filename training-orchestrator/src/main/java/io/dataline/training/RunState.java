package io.dataline.training;

/** QUEUED → RUNNING → SUCCEEDED | FAILED; an orphaned RUNNING run goes back to QUEUED or to FAILED. */
public enum RunState {
    QUEUED, RUNNING, SUCCEEDED, FAILED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED;
    }
}
