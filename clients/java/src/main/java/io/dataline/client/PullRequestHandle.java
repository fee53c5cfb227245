package io.dataline.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pull request of a dataset ({@link DatasetHandle#openPullRequest}, {@link DatasetHandle#pullRequest}): its state,
 * diff and conflicts, the pipeline's checks, reviews, merge and close. Answers are dataset-service's JSON.
 */
public final class PullRequestHandle {

    private final Dataline client;
    private final String path;
    private final int number;

    PullRequestHandle(Dataline client, String datasetPath, int number) {
        this.client = client;
        this.path = datasetPath + "/pulls/" + number;
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** {@code from}, {@code into}, {@code title}, {@code state}, both heads and their merge base, {@code mergeVersion}. */
    public JsonNode show() {
        return client.call("GET", path, null);
    }

    /** The keys {@code from} changed since the merge base (first page, complete counts). */
    public JsonNode diff() {
        return client.call("GET", path + "/diff", null);
    }

    /**
     * The pipeline's checks of the head of {@code from}: {@code state} ({@code pending}, {@code success},
     * {@code failure}), {@code outcome}, {@code summary}, and the {@code validation}, {@code training}, {@code model}
     * (with the staged model's metrics beside its own) and {@code evaluation} (the gates' verdict) stages.
     */
    public JsonNode checks() {
        return client.call("GET", path + "/checks", null);
    }

    /** Waits until the checks are no longer {@code pending} or {@code timeout} passes; returns the last answer. */
    public JsonNode awaitChecks(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode checks = checks();
        while ("pending".equals(checks.path("state").asText()) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            checks = checks();
        }
        return checks;
    }

    /** Each key changed differently on the two branches, with its record at the base, on {@code into} and on {@code from}. */
    public JsonNode conflicts() {
        return client.call("GET", path + "/conflicts", null);
    }

    /** Reviews it ({@code approve} or {@code request-changes}) with this client's key, which must not be the author's. */
    public JsonNode review(String verdict, String comment) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("verdict", verdict);
        if (comment != null) {
            body.put("comment", comment);
        }
        return client.call("POST", path + "/reviews", body);
    }

    /** Merges it; {@code resolutions} (key → {@code into} or {@code from}) settles conflicts. Conflict (409) says what stands in the way. */
    public JsonNode merge(Map<String, String> resolutions) {
        return client.call("POST", path + "/merge", Map.of("resolutions", resolutions == null ? Map.of() : resolutions));
    }

    public JsonNode close() {
        return client.call("POST", path + "/close", null);
    }
}
