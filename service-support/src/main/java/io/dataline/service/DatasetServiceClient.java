package io.dataline.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.ChunkStore;
import io.dataline.dataset.versioning.Entry;
import io.dataline.dataset.versioning.Hash;
import io.dataline.dataset.versioning.KeyType;
import io.dataline.dataset.versioning.ProllyTree;
import io.dataline.dataset.versioning.TreeFormat;

/**
 * Reads from dataset-service with the calling service's own key: datasets, versions, pinned pipeline revisions and
 * schema versions, and a version's records as a stream of NDJSON lines (one record in memory at a time). What can never
 * change (a pinned revision, a schema version, a version by hash, a dataset's identity) is read once and held, so an
 * event costs dataset-service only the reads that can differ. A 404 means
 * the event names something that does not exist ({@link UnprocessableEventException}); anything else that is not an
 * answer is {@link DatasetServiceUnavailableException}. The key is sent as a Bearer token and never logged.
 */
public class DatasetServiceClient {

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final String baseUrl;
    private final String serviceKey;
    /** Views that never change, held so that each event does not read them again (see {@link ImmutableViews}). */
    private final ImmutableViews immutable = new ImmutableViews(4_096, Duration.ofMinutes(30).toNanos());

    private static final java.util.regex.Pattern VERSION_HASH = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    public DatasetServiceClient(String baseUrl, String serviceKey, Duration connectTimeout, ObjectMapper mapper) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.serviceKey = serviceKey;
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A dataset's whole view as it is now (its head, schema and pipeline move): read every time. */
    public JsonNode dataset(String dataset) {
        return json("/datasets/" + segment(dataset), "dataset \"" + dataset + "\"");
    }

    /**
     * The parts of a dataset's view that never change ({@code name}, {@code slug}, {@code primaryKey}: datasets are never
     * renamed or deleted), enough for {@link #forEachRecord}; read from dataset-service once, then held.
     */
    public JsonNode identity(String dataset) {
        return immutable.get("dataset:" + dataset, () -> {
            JsonNode view = dataset(dataset);
            com.fasterxml.jackson.databind.node.ObjectNode identity = mapper.createObjectNode();
            for (String field : new String[] {"name", "slug", "primaryKey"}) {
                if (view.has(field)) {
                    identity.set(field, view.get(field));
                }
            }
            return identity;
        });
    }

    /**
     * A version by hash or by ref (a branch name, {@code main}). A version named by its hash never changes, so it is read
     * once and then held; every version read is held under its hash, and a ref is read every time (it moves).
     */
    public JsonNode version(String dataset, String version) {
        if (VERSION_HASH.matcher(version).matches()) {
            JsonNode held = immutable.peek(versionKey(dataset, version));
            if (held != null) {
                return held;
            }
        }
        JsonNode view = json("/datasets/" + segment(dataset) + "/versions/" + segment(version), "version " + version + " of \"" + dataset + "\"");
        String hash = view.path("hash").asText("");
        if (VERSION_HASH.matcher(hash).matches()) {
            immutable.put(versionKey(dataset, hash), view);
        }
        return view;
    }

    /**
     * What an event told of a version: no whole view, but what reading and checking its records takes (see
     * {@link #announcedVersion}). Held apart from the views read here, so it never answers {@link #version}; only
     * {@link #versionToRead} uses it. One not named by its 64-hex hash is not held (it could not be looked up).
     */
    public void announce(String dataset, JsonNode announced) {
        String hash = announced.path("hash").asText("");
        if (!VERSION_HASH.matcher(hash).matches()) {
            return;
        }
        immutable.put(announcedKey(dataset, hash), announced);
    }

    /**
     * Forgets what an event announced of a version, after reading its records by it failed ({@link DataIntegrityException},
     * or a count that did not match): the announcement may have been wrong, so the caller reads the version's own view
     * ({@link #version}) and tries once more. Whether anything had been announced.
     */
    public boolean forgetAnnounced(String dataset, String hash) {
        return immutable.remove(announcedKey(dataset, hash));
    }

    private static String announcedKey(String dataset, String hash) {
        return "announced:" + dataset + "@" + hash;
    }

    /**
     * The view of a version named by its hash, as far as {@link #forEachRecord} needs it: a view already held, else what
     * an event announced of it ({@link #announce}), else read from dataset-service. The records streamed check the
     * announced count and data hash as they would a view's.
     */
    public JsonNode versionToRead(String dataset, String hash) {
        if (VERSION_HASH.matcher(hash).matches()) {
            JsonNode held = immutable.peek(versionKey(dataset, hash));
            if (held == null) {
                held = immutable.peek(announcedKey(dataset, hash));
            }
            if (held != null) {
                return held;
            }
        }
        return version(dataset, hash);
    }

    /**
     * The part of a version's view an event can carry: its hash, its record count, its data hash and the tree format that
     * hash was computed in, enough for {@link #forEachRecord}; the caller adds what else it knows.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode announcedVersion(String hash, long recordCount, String dataHash, int treeFormat) {
        com.fasterxml.jackson.databind.node.ObjectNode view = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        view.put("hash", hash);
        view.put("recordCount", recordCount);
        view.put("dataHash", dataHash);
        view.put("treeFormat", treeFormat);
        return view;
    }

    /** A pinned pipeline revision: never changes, so read once and then held. */
    public JsonNode pipelineRevision(String dataset, int revision) {
        return immutable.get("pipeline:" + dataset + "#" + revision, () -> json("/datasets/" + segment(dataset) + "/pipeline/revisions/" + revision,
                "pipeline revision " + revision + " of \"" + dataset + "\""));
    }

    /** A schema version: never changes, so read once and then held. */
    public JsonNode schemaVersion(String dataset, int version) {
        return immutable.get("schema:" + dataset + "#" + version, () -> json("/datasets/" + segment(dataset) + "/schema/versions/" + version,
                "schema version " + version + " of \"" + dataset + "\""));
    }

    private static String versionKey(String dataset, String hash) {
        return "version:" + dataset + "@" + hash;
    }

    /** A dataset's open pull requests, newest first, each with both heads ({@code fromHead}, {@code intoHead}). */
    public JsonNode openPullRequests(String dataset) {
        return json("/datasets/" + segment(dataset) + "/pulls?state=open", "the open pull requests of \"" + dataset + "\"");
    }

    /** The URL of a version's records (NDJSON), for trainers that read them themselves. */
    public String recordsUrl(String dataset, String version) {
        return baseUrl + "/datasets/" + segment(dataset) + "/versions/" + segment(version) + "/records";
    }

    /**
     * Streams every record of a version, in key order, and checks what arrived against the version: as many records as
     * it holds (a stream cut short, dataset-service stopped mid-export, fails as
     * {@link DatasetServiceUnavailableException}, to be read again, instead of passing as a smaller version), and the
     * same data hash: the records are fed, as they pass, into the same prolly tree the version's {@code dataHash} is the
     * root of, so a record changed anywhere between the chunk store and this reader fails as
     * {@link DataIntegrityException} once the stream ends. Nothing is held but one chunk per tree level. The caller
     * passes the views it read ({@link #dataset}, {@link #version}), so they are not read again; the records streamed
     * are those of the version view's {@code hash}, so a ref the view was read by cannot move in between.
     */
    public void forEachRecord(String dataset, JsonNode datasetView, JsonNode versionView, Consumer<JsonNode> action) {
        String version = versionView.path("hash").asText(null);
        if (version == null) {
            throw new IllegalArgumentException("the version view of \"" + dataset + "\" has no hash");
        }
        long expected = versionView.path("recordCount").asLong(-1);
        String dataHash = versionView.path("dataHash").asText(null);
        String primaryKey = datasetView.path("primaryKey").asText(null);
        ProllyTree.TreeBuilder tree = new ProllyTree(DISCARD, treeFormat(dataset, version, versionView)).builder();
        long[] read = {0};
        streamRecords(dataset, version, (line, record) -> {
            read[0]++;
            if (primaryKey != null) {
                JsonNode key = record.get(primaryKey);
                byte[] encoded = key == null ? null : (key.isIntegralNumber() ? KeyType.INTEGER : KeyType.STRING).encode(key);
                if (encoded == null) {
                    throw new DataIntegrityException("record " + read[0] + " of version " + version + " of \"" + dataset + "\" has no usable key \""
                            + primaryKey + "\"");
                }
                try {
                    tree.add(new Entry(encoded, line));
                } catch (IllegalArgumentException e) {
                    throw new DataIntegrityException("the records of version " + version + " of \"" + dataset + "\" are not in key order", e);
                }
            }
            action.accept(record);
        });
        if (expected >= 0 && read[0] != expected) {
            throw new DatasetServiceUnavailableException("read " + read[0] + " records of version " + version + " of \"" + dataset
                    + "\", which holds " + expected + ": the export was cut short", null);
        }
        if (primaryKey != null && dataHash != null) {
            String actual = tree.finish().hex();
            if (!actual.equals(dataHash)) {
                throw new DataIntegrityException("the records read of version " + version + " of \"" + dataset + "\" hash to " + actual
                        + ", not to its data hash " + dataHash + ": the stored data or the export is corrupt");
            }
        }
    }

    /**
     * The tree format the version's data hash was computed in; a dataset-service from before formats existed names
     * none, and all its datasets were format 1. A format this build does not know cannot be verified, ever: upgrade.
     */
    private static TreeFormat treeFormat(String dataset, String version, JsonNode versionView) {
        int id = versionView.path("treeFormat").asInt(TreeFormat.GEOMETRIC.id());
        try {
            return TreeFormat.of(id);
        } catch (IllegalArgumentException e) {
            throw new UnprocessableEventException("version " + version + " of \"" + dataset + "\" is in tree format " + id
                    + ", which this build cannot rebuild its data hash in: upgrade this service to dataset-service's version");
        }
    }

    /** A chunk store that keeps nothing: rebuilding a root needs only the chunks' hashes. */
    private static final ChunkStore DISCARD = new ChunkStore() {
        @Override
        public Chunk load(Hash hash) {
            throw new IllegalStateException("a rebuilt tree is never read");
        }

        @Override
        public void store(Chunk chunk) {
        }
    };

    private interface LineAction {
        void accept(byte[] line, JsonNode record);
    }

    private void streamRecords(String dataset, String version, LineAction action) {
        HttpResponse<InputStream> response = send("/datasets/" + segment(dataset) + "/versions/" + segment(version) + "/records",
                "application/x-ndjson", HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            check(response.statusCode(), "records of version " + version + " of \"" + dataset + "\"");
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isEmpty()) {
                    action.accept(line.getBytes(StandardCharsets.UTF_8), mapper.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new DatasetServiceUnavailableException("reading records of " + version + " from dataset-service failed: " + e.getMessage(), e);
        }
    }

    private JsonNode json(String path, String what) {
        HttpResponse<String> response = send(path, "application/json", HttpResponse.BodyHandlers.ofString());
        check(response.statusCode(), what);
        try {
            return mapper.readTree(response.body());
        } catch (IOException e) {
            throw new DatasetServiceUnavailableException("dataset-service answered with bad JSON for " + what, e);
        }
    }

    private <T> HttpResponse<T> send(String path, String accept, HttpResponse.BodyHandler<T> handler) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + serviceKey)
                .header("Accept", accept)
                .timeout(Duration.ofMinutes(10))
                .GET().build();
        return ServiceCalls.send(http, request, handler, "dataset-service", DatasetServiceUnavailableException::new);
    }

    private static void check(int status, String what) {
        if (status == 404) {
            throw new UnprocessableEventException(what + " does not exist in dataset-service");
        }
        if (status == 401 || status == 403) {
            throw new DatasetServiceUnavailableException("dataset-service refused this service's key (" + status + ") for " + what, null);
        }
        if (status != 200) {
            throw new DatasetServiceUnavailableException("dataset-service answered " + status + " for " + what, null);
        }
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
