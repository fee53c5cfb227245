package io.dataline.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.dataline.dataset.Api;
import io.dataline.dataset.ChunkRepository;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Covers content addressing through the API: {@code dataHash} depends on content only (same records in another order
 * and other batches give the same {@code dataHash}, while commit hashes differ) and is stable across processes (a
 * pinned value); 100 changes committed into a 200,000-record dataset store only a few hundred new chunks, the rest
 * being shared with the previous version.
 */
@QuarkusTest
class ContentAddressingTest {

    /**
     * The dataHash of the two records of the README's snippet. It must never change: stored versions rely on it. It
     * was checked independently of this code: both records fit one leaf (neither record hash is a boundary), so it is
     * SHA-256 of byte 0 (level), varint 2, then per record varint key length, key, varint length, RFC 8785 JSON.
     */
    static final String SNIPPET_DATA_HASH = "0bec24945c4f1a296b8eb92dab5473468982e0c3702c275ca6bb837ecfe7346a";

    @Inject
    ChunkRepository chunks;
    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    @Test
    void shouldGiveTheSameDataHashWhateverTheOrderOfArrival() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            records.add(Api.feedback("usr_" + i, "feedback number " + i, i % 3 == 0 ? "positive" : "negative"));
        }
        String inOrder = Api.newFeedbackDataset("Order A");
        Api.stage(inOrder, records).then().statusCode(200);
        String dataHashA = Api.commit(inOrder, "all at once").then().statusCode(201).extract().path("dataHash");

        List<Map<String, Object>> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, new Random(3));
        String inBatches = Api.newFeedbackDataset("Order B");
        Api.stage(inBatches, shuffled.subList(0, 200)).then().statusCode(200);
        String hashB1 = Api.commit(inBatches, "first part").then().statusCode(201).extract().path("hash");
        Api.stage(inBatches, shuffled.subList(200, 500)).then().statusCode(200);
        Map<String, Object> b = Api.commit(inBatches, "second part").then().statusCode(201).extract().as(Map.class);

        assertThat(b.get("dataHash")).isEqualTo(dataHashA);
        assertThat(b.get("hash")).isNotEqualTo(hashB1);
    }

    @Test
    void shouldKeepTheDataHashStableAcrossProcesses() {
        String name = Api.newFeedbackDataset("Snippet");
        Api.stage(name, List.of(
                Map.of("id", "usr_125", "feedback", "The new UI is fantastic!", "sentiment", "positive", "category", "UI/UX"),
                Map.of("id", "usr_126", "feedback", "My login is not working.", "sentiment", "negative", "category", "Authentication")))
                .then().statusCode(200);

        Api.commit(name, "Added Q4 2023 feedback data").then().statusCode(201).body("dataHash", equalTo(SNIPPET_DATA_HASH));
    }

    @Test
    void shouldKeepEachDatasetInTheTreeFormatItWasCreatedWith() throws java.sql.SQLException {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            records.add(Api.feedback("usr_" + i, "feedback number " + i + " about the checkout and the delivery times", "negative"));
        }
        String current = Api.newFeedbackDataset("Format now");
        String older = Api.newFeedbackDataset("Format before");
        String olderAtOnce = Api.newFeedbackDataset("Format before at once");
        // datasets created before tree formats existed: the migration gave them format 1
        try (var connection = dataSource.getConnection();
                var update = connection.prepareStatement("UPDATE dataset SET tree_format = 1 WHERE name IN (?, ?)")) {
            update.setString(1, older);
            update.setString(2, olderAtOnce);
            assertThat(update.executeUpdate()).isEqualTo(2);
        }
        Api.stage(current, records).then().statusCode(200);
        String currentHash = Api.commit(current, "all").then().statusCode(201).body("treeFormat", equalTo(4)).extract().path("dataHash");
        Api.stage(older, records.subList(0, 1200)).then().statusCode(200);
        Api.commit(older, "first part").then().statusCode(201).body("treeFormat", equalTo(1));
        Api.stage(older, records.subList(1200, 2000)).then().statusCode(200);
        String olderHash = Api.commit(older, "second part").then().statusCode(201).body("treeFormat", equalTo(1)).extract().path("dataHash");
        Api.stage(olderAtOnce, records).then().statusCode(200);
        Api.commit(olderAtOnce, "all").then().statusCode(201);

        // format 1 still cuts its trees as it did: built in two commits or at once, the same root; format 4 (new datasets) cuts another
        Api.admin().get("/datasets/{d}/versions/latest", olderAtOnce).then().statusCode(200).body("treeFormat", equalTo(1))
                .body("dataHash", equalTo(olderHash));
        assertThat(olderHash).isNotEqualTo(currentHash);
    }

    @Test
    void shouldStoreFewNewChunksForASmallChangeToALargeDataset() {
        String name = Api.newFeedbackDataset("Large");
        StringBuilder ndjson = new StringBuilder(200_000 * 90);
        for (int i = 0; i < 200_000; i++) {
            ndjson.append("{\"id\":\"r").append(i).append("\",\"feedback\":\"text of record ").append(i)
                    .append("\",\"sentiment\":\"").append(i % 2 == 0 ? "positive" : "negative").append("\"}\n");
        }
        Api.admin().contentType("application/x-ndjson").body(ndjson.toString().getBytes(StandardCharsets.UTF_8))
                .post("/datasets/{d}/records", name).then().statusCode(200).body("staged", equalTo(200_000));
        long beforeFirst = chunks.count();
        Api.commit(name, "200k records").then().statusCode(201).body("recordCount", equalTo(200_000));
        long firstVersionChunks = chunks.count() - beforeFirst;

        Random random = new Random(11);
        List<Map<String, Object>> changes = new ArrayList<>();
        java.util.Set<Integer> picked = new java.util.HashSet<>();
        while (picked.size() < 100) {
            picked.add(random.nextInt(200_000));
        }
        picked.forEach(i -> changes.add(Api.feedback("r" + i, "edited " + i, "neutral")));
        Api.stage(name, changes).then().statusCode(200).body("staged", equalTo(100));
        long beforeSecond = chunks.count();
        Api.commit(name, "100 edits").then().statusCode(201).body("updated", equalTo(100)).body("recordCount", equalTo(200_000));
        long secondVersionChunks = chunks.count() - beforeSecond;

        assertThat(firstVersionChunks).isGreaterThan(2000);
        assertThat(secondVersionChunks).as("new chunks and index nodes for 100 changes").isBetween(100L, 400L);
    }
}
