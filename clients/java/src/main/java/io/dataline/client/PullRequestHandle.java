package io.dataline.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One pull request of a dataset ({@link DatasetHandle#openPullRequest}, {@link DatasetHandle#pullRequest}): its state,
 * diff and conflicts, reviews, merge and close. Answers are dataset-service's JSON.
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
