package io.dataline.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Covers reading a version's records: all of them pass; an export that ends early (dataset-service stopped mid-way)
 * fails as a transient outage, to be read again, instead of passing as a smaller version; records that do not rebuild
 * the version's data hash (one changed, or out of order) fail as corrupt.
 */
class DatasetServiceClientTest {

    private HttpServer server;
    /** The paths the fake dataset-service was asked for, and how often. */
    private final java.util.Map<String, Integer> requests = new java.util.concurrent.ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** {@code count} canonical records with string keys {@code id} in key order. */
    private static String[] records(int count) {
        String[] records = new String[count];
        for (int i = 0; i < count; i++) {
            records[i] = String.format("{\"id\":\"r%04d\",\"text\":\"record %d\"}", i, i);
        }
        return records;
    }

    /** The data hash of these canonical records with string keys {@code id}, as dataset-service computes it. */
    private static String dataHash(io.dataline.dataset.versioning.TreeFormat format, String... records) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        io.dataline.dataset.versioning.ProllyTree.TreeBuilder builder = new io.dataline.dataset.versioning.ProllyTree(
                new io.dataline.dataset.versioning.ChunkStore() {
                    @Override
                    public io.dataline.dataset.versioning.Chunk load(io.dataline.dataset.versioning.Hash hash) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    public void store(io.dataline.dataset.versioning.Chunk chunk) {
                    }
                }, format).builder();
        for (String record : records) {
            builder.add(new io.dataline.dataset.versioning.Entry(io.dataline.dataset.versioning.KeyType.STRING.encode(mapper.readTree(record).get("id")),
                    record.getBytes(StandardCharsets.UTF_8)));
        }
        return builder.finish().hex();
    }

    private DatasetServiceClient serving(int recordCount, String ndjson) throws IOException {
        return serving(recordCount, null, ndjson);
    }

    private DatasetServiceClient serving(int recordCount, String dataHash, String ndjson) throws IOException {
        return serving(recordCount, dataHash, "2", ndjson);
    }

    /** A dataset-service answering version {@code v} of {@code d}; {@code treeFormat} null: one from before formats. */
    private DatasetServiceClient serving(int recordCount, String dataHash, String treeFormat, String ndjson) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/datasets/d", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.merge(path, 1, Integer::sum);
            String answer = path.endsWith("/records") ? ndjson
                    : path.endsWith("/versions/v") ? "{\"hash\":\"v\",\"recordCount\":" + recordCount + (dataHash == null ? "" : ",\"dataHash\":\"" + dataHash + "\"")
                            + (treeFormat == null ? "" : ",\"treeFormat\":" + treeFormat) + "}"
                    : "{\"name\":\"d\",\"primaryKey\":\"id\"}";
            byte[] body = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new DatasetServiceClient("http://127.0.0.1:" + server.getAddress().getPort(), "key", Duration.ofSeconds(5), new ObjectMapper());
    }

    /** Version {@code v} of dataset {@code d}, its views read as the services read them. */
    private static void read(DatasetServiceClient client, java.util.function.Consumer<JsonNode> action) {
        client.forEachRecord("d", client.dataset("d"), client.version("d", "v"), action);
    }

    @Test
    void shouldReadOnlyTheRecordsOfTheVersionWhoseViewsTheCallerHolds() throws IOException {
        DatasetServiceClient client = serving(2, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
        JsonNode dataset = client.dataset("d");
        JsonNode version = client.version("d", "v");
        requests.clear();
        List<JsonNode> read = new ArrayList<>();

        client.forEachRecord("d", dataset, version, read::add);

        assertThat(read).extracting(r -> r.get("id").asText()).containsExactly("a", "b");
        assertThat(requests).containsExactly(java.util.Map.entry("/datasets/d/versions/v/records", 1));
        assertThatThrownBy(() -> client.forEachRecord("d", dataset, new ObjectMapper().createObjectNode(), r -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no hash");
    }

    @Test
    void shouldStreamEveryRecordOfTheVersion() throws IOException {
        List<JsonNode> read = new ArrayList<>();
        read(serving(2, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n"), read::add);
        assertThat(read).extracting(r -> r.path("id").asText()).containsExactly("a", "b");
    }

    @Test
    void shouldRefuseAnExportCutShort() throws IOException {
        DatasetServiceClient client = serving(3, "{\"id\":\"a\"}\n{\"id\":\"b\"}\n");
        assertThatThrownBy(() -> read(client, record -> { }))
                .isInstanceOf(DatasetServiceUnavailableException.class).hasMessageContaining("read 2 records").hasMessageContaining("holds 3");
    }

    @Test
    void shouldCheckTheRecordsAgainstTheVersionsDataHash() throws IOException {
        String[] records = records(300);
        String ndjson = String.join("\n", records) + "\n";
        String hash = dataHash(io.dataline.dataset.versioning.TreeFormat.BOUNDED, records);
        List<JsonNode> read = new ArrayList<>();
        read(serving(300, hash, ndjson), read::add);
        assertThat(read).hasSize(300);
        stop();

        DatasetServiceClient changed = serving(300, hash, ndjson.replace("record 150", "record 151"));
        assertThatThrownBy(() -> read(changed, record -> { })).isInstanceOf(DataIntegrityException.class)
                .hasMessageContaining("not to its data hash " + hash);
        stop();
        String swapped = ndjson.replace(records[10] + "\n" + records[11], records[11] + "\n" + records[10]);
        DatasetServiceClient unordered = serving(300, hash, swapped);
        assertThatThrownBy(() -> read(unordered, record -> { })).isInstanceOf(DataIntegrityException.class)
                .hasMessageContaining("not in key order");
    }

    @Test
    void shouldRebuildTheDataHashInTheVersionsTreeFormat() throws IOException {
        String[] records = records(300);
        String ndjson = String.join("\n", records) + "\n";
        String formatOne = dataHash(io.dataline.dataset.versioning.TreeFormat.GEOMETRIC, records);
        String formatTwo = dataHash(io.dataline.dataset.versioning.TreeFormat.BOUNDED, records);
        assertThat(formatOne).isNotEqualTo(formatTwo);

        // a dataset created before formats existed, named so by the view
        List<JsonNode> read = new ArrayList<>();
        read(serving(300, formatOne, "1", ndjson), read::add);
        assertThat(read).hasSize(300);
        stop();
        // a dataset-service from before formats names none: all its datasets were format 1
        read(serving(300, formatOne, null, ndjson), record -> { });
        stop();
        // the same records checked in the wrong format do not match
        DatasetServiceClient wrong = serving(300, formatTwo, "1", ndjson);
        assertThatThrownBy(() -> read(wrong, record -> { })).isInstanceOf(DataIntegrityException.class);
        stop();
        // a format from a newer dataset-service cannot be checked by this build, ever: the DLQ, with the reason
        DatasetServiceClient newer = serving(300, formatTwo, "9", ndjson);
        assertThatThrownBy(() -> read(newer, record -> { })).isInstanceOf(UnprocessableEventException.class)
                .hasMessageContaining("tree format 9").hasMessageContaining("upgrade");
    }

    private static final String HASH = "ab".repeat(32);

    /**
     * A dataset-service for the reads that never change: {@code main} is at {@link #HASH}; pipeline revision 1 and
     * schema version 1 exist, revision 2 does not (404) until {@code revisionTwo} is set.
     */
    private DatasetServiceClient servingViews(java.util.concurrent.atomic.AtomicBoolean revisionTwo) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/datasets/d", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.merge(path, 1, Integer::sum);
            String answer = path.endsWith("/versions/main") || path.endsWith("/versions/" + HASH) ? "{\"hash\":\"" + HASH + "\",\"recordCount\":3}"
                    : path.endsWith("/pipeline/revisions/1") ? "{\"revision\":1,\"pipeline\":{\"training\":{}}}"
                    : path.endsWith("/pipeline/revisions/2") && revisionTwo.get() ? "{\"revision\":2,\"pipeline\":{}}"
                    : path.endsWith("/schema/versions/1") ? "{\"type\":\"object\"}"
                    : path.equals("/datasets/d") ? "{\"name\":\"D\",\"slug\":\"d\",\"primaryKey\":\"id\",\"head\":\"" + requests.get(path) + "\"}"
                    : null;
            byte[] body = (answer == null ? "{}" : answer).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer == null ? 404 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new DatasetServiceClient("http://127.0.0.1:" + server.getAddress().getPort(), "key", Duration.ofSeconds(5), new ObjectMapper());
    }

    @Test
    void shouldReadWhatNeverChangesOnceAndWhatMovesEveryTime() throws IOException {
        DatasetServiceClient client = servingViews(new java.util.concurrent.atomic.AtomicBoolean());

        for (int i = 0; i < 3; i++) {
            assertThat(client.pipelineRevision("d", 1).path("pipeline").has("training")).isTrue();
            assertThat(client.schemaVersion("d", 1).path("type").asText()).isEqualTo("object");
            assertThat(client.version("d", HASH).path("recordCount").asInt()).isEqualTo(3);
            assertThat(client.identity("d").path("primaryKey").asText()).isEqualTo("id");
            assertThat(client.version("d", "main").path("hash").asText()).isEqualTo(HASH);
            assertThat(client.dataset("d").path("head").asText()).isEqualTo(String.valueOf(i + 2));
        }

        assertThat(requests).containsEntry("/datasets/d/pipeline/revisions/1", 1).containsEntry("/datasets/d/schema/versions/1", 1)
                .containsEntry("/datasets/d/versions/" + HASH, 1)
                .containsEntry("/datasets/d/versions/main", 3) // a ref moves: read every time
                .containsEntry("/datasets/d", 4); // the identity once, the whole view every time
        assertThat(client.identity("d").has("head")).as("only what never changes is held").isFalse();
    }

    @Test
    void shouldHoldAVersionReadByRefUnderItsHash() throws IOException {
        DatasetServiceClient client = servingViews(new java.util.concurrent.atomic.AtomicBoolean());

        client.version("d", "main");
        client.version("d", HASH);

        assertThat(requests).containsEntry("/datasets/d/versions/main", 1).doesNotContainKey("/datasets/d/versions/" + HASH);
    }

    @Test
    void shouldNotRememberAFailureAndGiveEachCallerItsOwnCopy() throws IOException {
        java.util.concurrent.atomic.AtomicBoolean revisionTwo = new java.util.concurrent.atomic.AtomicBoolean();
        DatasetServiceClient client = servingViews(revisionTwo);

        assertThatThrownBy(() -> client.pipelineRevision("d", 2)).isInstanceOf(UnprocessableEventException.class);
        revisionTwo.set(true);
        assertThat(client.pipelineRevision("d", 2).path("revision").asInt()).isEqualTo(2);
        assertThat(requests).containsEntry("/datasets/d/pipeline/revisions/2", 2);

        ((com.fasterxml.jackson.databind.node.ObjectNode) client.pipelineRevision("d", 1)).put("revision", 99);
        ((com.fasterxml.jackson.databind.node.ObjectNode) client.pipelineRevision("d", 1).path("pipeline")).removeAll();
        assertThat(client.pipelineRevision("d", 1).path("revision").asInt()).isEqualTo(1);
        assertThat(client.pipelineRevision("d", 1).path("pipeline").has("training")).isTrue();
    }
    @Test
    void shouldReadRecordsByWhatAnEventAnnouncedAndNeverAnswerAViewWithIt() throws IOException {
        DatasetServiceClient client = servingViews(new java.util.concurrent.atomic.AtomicBoolean());
        String other = "cd".repeat(32);
        client.announce("d", DatasetServiceClient.announcedVersion(other, 7, "ef".repeat(32), 2));
        client.announce("d", DatasetServiceClient.announcedVersion("not-a-hash", 7, "ef".repeat(32), 2)); // not held: never looked up

        JsonNode toRead = client.versionToRead("d", other);

        assertThat(toRead.path("recordCount").asLong()).isEqualTo(7);
        assertThat(toRead.path("dataHash").asText()).isEqualTo("ef".repeat(32));
        assertThat(toRead.path("treeFormat").asInt()).isEqualTo(2);
        assertThat(requests).isEmpty();
        // the announcement is no view: asked for the version's view, the client reads it (404 here: no such version)
        assertThatThrownBy(() -> client.version("d", other)).isInstanceOf(UnprocessableEventException.class);
        // a view read is preferred to an announcement; one never announced is read (and then held)
        assertThat(client.versionToRead("d", HASH).path("recordCount").asInt()).isEqualTo(3);
        assertThat(client.versionToRead("d", HASH).path("recordCount").asInt()).isEqualTo(3);
        assertThat(requests).containsEntry("/datasets/d/versions/" + HASH, 1);

        assertThat(client.forgetAnnounced("d", other)).isTrue();
        assertThat(client.forgetAnnounced("d", other)).isFalse();
        assertThat(client.forgetAnnounced("d", HASH)).as("nothing was announced of it").isFalse();
    }
}
