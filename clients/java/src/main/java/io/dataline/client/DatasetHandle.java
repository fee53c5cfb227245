package io.dataline.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One dataset: stage records ({@link #add}) and deletes ({@link #delete}), {@link #commit} them as a version, list
 * {@link #versions()}, stream a version's {@link #records}, and follow a version through the {@link #pipeline}.
 * Each handle stages into a change set of its own on the server, opened with the first change and ended by the
 * commit: what another client (or another handle) stages into the same dataset is never committed with it.
 */
public final class DatasetHandle {

    private final Dataline client;
    private final String dataset;
    private final String branch;
    private String changeSet;

    DatasetHandle(Dataline client, String dataset) {
        this(client, dataset, "main");
    }

    private DatasetHandle(Dataline client, String dataset, String branch) {
        this.client = client;
        this.dataset = dataset;
        this.branch = branch;
    }

    /** The same dataset on another branch (which must exist): what the handle adds and commits goes to that branch. */
    public DatasetHandle branch(String name) {
        return new DatasetHandle(client, dataset, name);
    }

    /** Creates a branch from a branch, tag or version ({@code from} null: this handle's branch); answers it. */
    public JsonNode createBranch(String name, String from) {
        return client.call("POST", path("/branches"), Map.of("name", name, "from", from == null ? branch : from));
    }

    /** Every branch ({@code name}, {@code version}: its head), main first. */
    public JsonNode branches() {
        return client.call("GET", path("/branches"), null);
    }

    /** Deletes a branch and what is staged on it; its versions stay. */
    public void deleteBranch(String name) {
        client.call("DELETE", path("/branches/" + String.join("/", java.util.Arrays.stream(name.split("/")).map(Dataline::segment).toList())), null);
    }

    /** Opens a pull request from this handle's branch into {@code into}. */
    public PullRequestHandle openPullRequest(String into, String title, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", branch);
        body.put("into", into);
        body.put("title", title);
        if (description != null) {
            body.put("description", description);
        }
        return pullRequest(client.call("POST", path("/pulls"), body).path("number").asInt());
    }

    /** A pull request of this dataset by number. */
    public PullRequestHandle pullRequest(int number) {
        return new PullRequestHandle(client, path(""), number);
    }

    /** Names a version (a hash, tag or branch) for good; {@code GET /tags} lists them ({@link #describe()}'s dataset). */
    public JsonNode tag(String name, String version) {
        return client.call("POST", path("/tags"), Map.of("name", name, "version", version));
    }

    private String path(String rest) {
        return "/datasets/" + Dataline.segment(dataset) + rest;
    }

    /** The dataset's definition as dataset-service shows it (name, slug, primary key, schema, head, ...). */
    public JsonNode describe() {
        return client.call("GET", path(""), null);
    }

    /** This handle's change set: opened on the server with the first change, until the commit ends it. */
    private synchronized String changeSet() {
        if (changeSet == null) {
            String query = "main".equals(branch) ? "" : "?branch=" + Dataline.segment(branch);
            changeSet = client.callIdempotent(path("/changesets" + query), null).path("id").asText(); // a repeat leaves an empty set, which expires
        }
        return changeSet;
    }

    /** The id of the change set this handle stages into, or null before its first change (and after a commit). */
    public synchronized String changeSetId() {
        return changeSet;
    }

    /** Stages records (upserts by primary key); any invalid record rejects the whole call ({@link DatalineException.Invalid}). */
    public DatasetHandle add(Collection<?> records) {
        if (!records.isEmpty()) {
            client.callIdempotent(path("/changesets/" + changeSet() + "/records"), records);
        }
        return this;
    }

    public DatasetHandle add(Object... records) {
        return add(List.of(records));
    }

    /**
     * Stages the records of an NDJSON stream (one record per line), streamed to the server however large;
     * {@code progress} receives the bytes sent so far. Returns the server's count of staged and unchanged records.
     */
    public JsonNode addNdjson(InputStream ndjson, java.util.function.LongConsumer progress) {
        return client.upload(path("/changesets/" + changeSet() + "/records"), "application/x-ndjson", ndjson, progress);
    }

    /** Stages the deletion of the record with this primary key. */
    public DatasetHandle delete(String key) {
        client.call("DELETE", path("/changesets/" + changeSet() + "/records/" + Dataline.segment(key)), null);
        return this;
    }

    /** Commits what this handle staged; {@link DatalineException.Invalid} when nothing is. */
    public Version commit(String message) {
        return commit(message, null, null);
    }

    /**
     * Commits what this handle staged, by {@code author}, only if the head is still {@code expectedParent} (when
     * given; {@code "empty"}: the dataset has no version yet; otherwise {@link DatalineException.Conflict}). The
     * handle's next change opens a new change set.
     */
    public Version commit(String message, String author, String expectedParent) {
        return commit(message, author, expectedParent, null);
    }

    /**
     * As {@link #commit(String, String, String)}, with the {@code Idempotency-Key} sent on every attempt (null: a fresh
     * UUID): a commit retried because its answer was lost answers the version the first attempt made.
     */
    public synchronized Version commit(String message, String author, String expectedParent, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("changeset", changeSet());
        if (author != null) {
            body.put("author", author);
        }
        if (expectedParent != null) {
            body.put("expectedParent", expectedParent);
        }
        String key = idempotencyKey != null ? idempotencyKey : java.util.UUID.randomUUID().toString();
        Version committed = Dataline.JSON.convertValue(client.call("POST", path("/commits"), body, Map.of("Idempotency-Key", key)), Version.class);
        changeSet = null;
        return committed;
    }

    /**
     * A one-shot commit: the records of an NDJSON stream (streamed, however large) become the next version directly,
     * without this handle's change set (the fastest way in). {@code replace} false: the records are upserts on the head;
     * true: they are the whole new version. {@code expectedParent} as in {@link #commit(String, String, String)}; a
     * retry with the same {@code idempotencyKey} (optional) and the same records returns the first answer.
     */
    public Version commitNdjson(InputStream ndjson, String message, boolean replace, String expectedParent, String idempotencyKey) {
        StringBuilder query = new StringBuilder("/commits?message=").append(Dataline.segment(message)).append("&mode=")
                .append(replace ? "replace" : "upsert");
        if (expectedParent != null) {
            query.append("&expectedParent=").append(Dataline.segment(expectedParent));
        }
        return Dataline.JSON.convertValue(client.upload(path(query.toString()), "application/x-ndjson", ndjson, sent -> { }, idempotencyKey),
                Version.class);
    }

    /** This handle's branch's versions, newest first, following first parents. */
    public List<Version> versions() {
        List<Version> all = new ArrayList<>();
        for (int page = 0; ; page++) {
            JsonNode answer = client.call("GET", path("/versions?branch=" + Dataline.segment(branch) + "&page=" + page + "&size=200"), null);
            answer.path("versions").forEach(v -> all.add(Dataline.JSON.convertValue(v, Version.class)));
            if (answer.path("versions").size() < 200 || all.size() >= answer.path("total").asLong()) {
                return all;
            }
        }
    }

    public Version version(String hash) {
        return client.call("GET", path("/versions/" + Dataline.segment(hash)), null, Version.class);
    }

    /** A version's records in key order, streamed (close the stream, e.g. with try-with-resources). */
    public Stream<JsonNode> records(String hash) {
        InputStream body = client.stream(path("/versions/" + Dataline.segment(hash) + "/records"), "application/x-ndjson");
        BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
        return lines.lines().filter(l -> !l.isBlank()).map(l -> {
            try {
                return Dataline.JSON.readTree(l);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).onClose(() -> {
            try {
                lines.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** What changed from one version to another: added, removed and changed records with counts (first page). */
    public JsonNode diff(String from, String to) {
        return client.call("GET", path("/diff?from=" + Dataline.segment(from) + "&to=" + Dataline.segment(to)), null);
    }

    /** A version exported as {@code ndjson} or {@code csv}, streamed (close it). */
    public InputStream export(String hash, String format) {
        if (!format.equals("ndjson") && !format.equals("csv")) {
            throw new IllegalArgumentException("format is ndjson or csv");
        }
        return client.stream(path("/versions/" + Dataline.segment(hash) + "/records?format=" + format),
                format.equals("csv") ? "text/csv" : "application/x-ndjson");
    }

    /** What has happened to a version so far. */
    public Pipeline pipeline(String hash) {
        return client.call("GET", path("/versions/" + Dataline.segment(hash) + "/pipeline"), null, Pipeline.class);
    }

    /**
     * Follows a version through the pipeline, calling {@code onStage} once per new stage, until it
     * {@link Pipeline#finished() finishes} or {@code timeout} passes; returns the last view.
     */
    public Pipeline follow(String hash, Duration timeout, Consumer<Pipeline.Stage> onStage) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (true) {
            Pipeline pipeline = pipeline(hash);
            for (Pipeline.Stage stage : pipeline.stages()) {
                if (seen.add(stage.stage() + "/" + stage.status() + "/" + stage.at())) {
                    onStage.accept(stage);
                }
            }
            if (pipeline.finished() || System.nanoTime() > deadline) {
                return pipeline;
            }
            Thread.sleep(250);
        }
    }
}
