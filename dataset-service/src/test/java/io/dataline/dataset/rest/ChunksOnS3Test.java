package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.dataline.dataset.Api;
import io.dataline.dataset.ChunkRepository;
import io.dataline.dataset.S3Access;
import io.dataline.dataset.versioning.Chunk;
import io.dataline.dataset.versioning.Entry;
import io.dataline.dataset.versioning.Hash;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs only with chunks in object storage (the {@code chunks-on-s3} execution, a real S3 API server): new chunks are
 * objects named by their hash and the table keeps only their rows; a commit whose upload fails leaves no version and
 * its staged changes; the sweep deletes only objects no chunk row points to, and only past the grace period;
 * {@code chunks migrate} moves a dataset's chunks both ways, verified by hash, and reads stay identical. The same
 * commit, export, diff, branch and pull request tests as on PostgreSQL run in this execution too (the pom lists them).
 */
@QuarkusTest
class ChunksOnS3Test {

    @Inject
    ChunkRepository chunks;
    @Inject
    AgroalDataSource dataSource;

    @BeforeAll
    static void onlyWithObjectStorage() {
        // the default execution excludes this class; only -Dtest=... selects it there, without a bucket
        Assumptions.assumeTrue(S3Access.active(), "runs in the chunks-on-s3 execution (-Dtestsupport.chunks=s3)");
    }

    @Test
    void shouldKeepNewChunksAsObjectsAndOnlyTheirRowsInTheTable() throws SQLException {
        String name = Api.newFeedbackDataset("On S3");
        Api.stage(name, records(0, 400)).then().statusCode(200);
        String dataHash = Api.commit(name, "into the bucket").then().statusCode(201).extract().path("dataHash");

        Set<Hash> inTable = hashesWithoutBytes();
        assertThat(inTable).contains(Hash.fromHex(dataHash));
        assertThat(S3Access.objects()).containsAll(inTable);
        Api.admin().get("/chunks").then().statusCode(200).body("backend", equalTo("s3")).body("bucket", equalTo(S3Access.BUCKET));
        chunks.clearCache();
        assertThat(export(name)).hasSize(400).first().asString().contains("\"usr_000\"");
    }

    @Test
    void shouldLeaveNoVersionAndKeepTheStagedChangesWhenObjectStorageFails() {
        String name = Api.newFeedbackDataset("S3 down");
        Api.commitOne(name, "before");
        Api.stage(name, records(1000, 1300)).then().statusCode(200);
        S3Access.stopServer();
        try {
            Api.commit(name, "while the bucket is away").then().statusCode(503).contentType(startsWith("application/problem+json"))
                    .body("detail", org.hamcrest.Matchers.containsString("object storage"));
        } finally {
            S3Access.startServer();
        }
        Api.admin().get("/datasets/{d}/versions", name).then().body("total", equalTo(1));
        Api.admin().get("/datasets/{d}/staged", name).then().body("upserts", equalTo(300));

        Api.commit(name, "once it is back").then().statusCode(201).body("recordCount", equalTo(301));
        chunks.clearCache();
        assertThat(export(name)).hasSize(301);
    }

    @Test
    void shouldSweepOnlyObjectsNoChunkRowPointsToAndOnlyPastTheGracePeriod() {
        String name = Api.newFeedbackDataset("Sweep");
        Api.stage(name, records(2000, 2300)).then().statusCode(200);
        Api.commit(name, "kept").then().statusCode(201);
        Chunk orphan = Chunk.of(0, List.of(new Entry("orphan".getBytes(StandardCharsets.UTF_8), ("left by a failed commit "
                + System.nanoTime()).getBytes(StandardCharsets.UTF_8))));
        S3Access.put(orphan);

        Api.admin().post("/chunks/sweep").then().statusCode(200);
        assertThat(S3Access.objects()).contains(orphan.hash());

        Api.admin().post("/chunks/sweep?grace=PT0S").then().statusCode(200);
        assertThat(S3Access.objects()).doesNotContain(orphan.hash());
        chunks.clearCache();
        assertThat(export(name)).hasSize(300);
        Api.admin().post("/chunks/sweep?grace=soon").then().statusCode(400);
    }

    @Test
    void shouldMigrateADatasetBothWaysVerifiedByHash() throws SQLException {
        String name = Api.newFeedbackDataset("Migrate");
        Api.stage(name, records(3000, 3600)).then().statusCode(200);
        Api.commit(name, "first").then().statusCode(201);
        Api.stage(name, records(3500, 3700)).then().statusCode(200);
        String dataHash = Api.commit(name, "second").then().statusCode(201).extract().path("dataHash");
        chunks.clearCache();
        List<String> before = export(name);
        Hash root = Hash.fromHex(dataHash);

        int total = Api.admin().contentType("application/json").body(Map.of("dataset", name, "to", "postgres"))
                .post("/chunks/migrate").then().statusCode(200).body("to", equalTo("postgres"))
                .extract().path("chunks");
        assertThat(total).isGreaterThan(1);
        assertThat(hashesWithoutBytes()).doesNotContain(root);
        assertThat(S3Access.objects()).doesNotContain(root);
        chunks.clearCache();
        assertThat(export(name)).isEqualTo(before);

        Api.admin().contentType("application/json").body(Map.of("dataset", name, "to", "s3")).post("/chunks/migrate")
                .then().statusCode(200).body("moved", equalTo(total)).body("chunks", equalTo(total));
        assertThat(hashesWithoutBytes()).contains(root);
        assertThat(S3Access.objects()).contains(root);
        chunks.clearCache();
        assertThat(export(name)).isEqualTo(before);
        Api.admin().contentType("application/json").body(Map.of("dataset", name, "to", "s3")).post("/chunks/migrate")
                .then().statusCode(200).body("moved", equalTo(0));
    }

    @Test
    void shouldNotMoveAChunkWhoseObjectDoesNotHoldIt() throws SQLException {
        String name = Api.newFeedbackDataset("Corrupt");
        Api.stage(name, records(4000, 4008)).then().statusCode(200);
        Hash root = Hash.fromHex(Api.commit(name, "one leaf (under 1 KiB: formats 3 and 4 cut none)").then().statusCode(201).extract().<String>path("dataHash"));
        byte[] original = S3Access.get(root);
        S3Access.putRaw(root, "not the chunk".getBytes(StandardCharsets.UTF_8));
        chunks.clearCache();
        try {
            Api.admin().contentType("application/json").body(Map.of("dataset", name, "to", "postgres")).post("/chunks/migrate")
                    .then().statusCode(500);
            assertThat(hashesWithoutBytes()).contains(root);
        } finally {
            S3Access.putRaw(root, original);
        }
        Api.admin().contentType("application/json").body(Map.of("dataset", name, "to", "postgres")).post("/chunks/migrate")
                .then().statusCode(200).body("moved", equalTo(1));
        chunks.clearCache();
        assertThat(export(name)).hasSize(8);
    }

    private static List<Map<String, Object>> records(int from, int to) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(Api.feedback(String.format("usr_%03d", i), "feedback " + i + " on the checkout", i % 2 == 0 ? "positive" : "negative"));
        }
        return records;
    }

    private static List<String> export(String name) {
        String body = Api.admin().get("/datasets/{d}/versions/latest/records", name).then().statusCode(200).extract().asString();
        return body.lines().toList();
    }

    private Set<Hash> hashesWithoutBytes() throws SQLException {
        Set<Hash> hashes = new java.util.HashSet<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT hash FROM chunk WHERE data IS NULL");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                hashes.add(Hash.of(rows.getBytes(1)));
            }
        }
        return hashes;
    }
}
