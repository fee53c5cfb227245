package io.dataline.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.DatasetServiceProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SDK against the real dataset-service (its packaged jar, on a real database and broker): the fluent flow users
 * know (add, delete, commit, versions, records, pipeline), each handle committing only what it staged (its own change
 * set), and a typed exception for each error the API returns.
 */
class DatalineClientTest {

    static Dataline dataline;

    @BeforeAll
    static void connect() {
        dataline = Dataline.connect(DatasetServiceProcess.instance().url(), DatasetServiceProcess.ADMIN_KEY);
    }

    private static String newDataset() {
        String name = DatasetServiceApi.uniqueName("SDK");
        DatasetServiceApi.create(name, null);
        return name;
    }

    @Test
    void shouldCommitListStreamAndFollowVersions() throws Exception {
        DatasetHandle feedback = dataline.dataset(newDataset());

        Version first = feedback.add(List.of(Map.of("id", "usr_125", "feedback", "The new UI is fantastic!", "sentiment", "positive"),
                Map.of("id", "usr_126", "feedback", "My login is not working.", "sentiment", "negative"))).commit("Added Q4 2023 feedback data");
        Version second = feedback.delete("usr_126").add(Map.of("id", "usr_127", "feedback", "Great support", "sentiment", "positive"))
                .commit("Second batch", "sdk-test", first.hash());

        assertThat(first.hash()).matches("[0-9a-f]{64}");
        assertThat(first.recordCount()).isEqualTo(2);
        assertThat(second.parent()).isEqualTo(first.hash());
        assertThat(second.added()).isEqualTo(1);
        assertThat(second.deleted()).isEqualTo(1);
        assertThat(feedback.versions()).extracting(Version::hash).containsExactly(second.hash(), first.hash());
        try (Stream<JsonNode> records = feedback.records(second.hash())) {
            assertThat(records.map(r -> r.path("id").asText())).containsExactly("usr_125", "usr_127");
        }
        List<Pipeline.Stage> seen = new ArrayList<>();
        Pipeline pipeline = feedback.follow(first.hash(), Duration.ofSeconds(30), seen::add);
        assertThat(pipeline.dataVersion()).isEqualTo(first.hash());
        assertThat(seen).extracting(Pipeline.Stage::stage).contains("committed");
        assertThat(feedback.version(first.hash()).message()).isEqualTo("Added Q4 2023 feedback data");
    }

    @Test
    void shouldCommitOnlyWhatEachHandleStagedWhenTwoWriteAtOnce() {
        String name = newDataset();
        DatasetHandle labellers = dataline.dataset(name);
        DatasetHandle importer = dataline.dataset(name);

        labellers.add(Map.of("id", "l-1", "feedback", "relabelled", "sentiment", "neutral"));
        importer.add(Map.of("id", "i-1", "feedback", "imported", "sentiment", "positive"),
                Map.of("id", "i-2", "feedback", "imported too", "sentiment", "negative"));
        assertThat(labellers.changeSetId()).isNotNull().isNotEqualTo(importer.changeSetId());

        Version labelled = labellers.commit("relabelled one", null, "empty");
        Version imported = importer.commit("imported two");

        assertThat(labelled.added()).isEqualTo(1);
        assertThat(imported.added()).isEqualTo(2);
        assertThat(imported.recordCount()).isEqualTo(3);
        assertThat(labellers.changeSetId()).isNull(); // the next change opens a new change set
    }

    @Test
    void shouldCommitAnNdjsonStreamInOneShot() {
        String name = newDataset();
        DatasetHandle feedback = dataline.dataset(name);
        String ndjson = "{\"id\":\"a\",\"feedback\":\"one\",\"sentiment\":\"positive\"}\n{\"id\":\"b\",\"feedback\":\"two\",\"sentiment\":\"negative\"}\n";

        Version first = feedback.commitNdjson(new java.io.ByteArrayInputStream(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "bulk load & more", false, "empty", "load-1");
        Version replaced = feedback.commitNdjson(new java.io.ByteArrayInputStream(
                "{\"id\":\"c\",\"feedback\":\"three\",\"sentiment\":\"neutral\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "nightly snapshot", true, first.hash(), null);

        assertThat(first.recordCount()).isEqualTo(2);
        assertThat(first.message()).isEqualTo("bulk load & more");
        assertThat(replaced.added()).isEqualTo(1);
        assertThat(replaced.deleted()).isEqualTo(2);
        assertThat(feedback.changeSetId()).as("no change set was opened").isNull();
        assertThatThrownBy(() -> feedback.commitNdjson(new java.io.ByteArrayInputStream(ndjson.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "stale", false, first.hash(), null)).isInstanceOf(DatalineException.Conflict.class);
    }

    @Test
    void shouldRaiseATypedExceptionForEachError() {
        String name = newDataset();
        DatasetHandle feedback = dataline.dataset(name);

        assertThatThrownBy(() -> Dataline.connect(DatasetServiceProcess.instance().url(), "dl_wrong").dataset(name).versions())
                .isInstanceOf(DatalineException.Unauthorized.class);
        assertThatThrownBy(() -> dataline.dataset("no such dataset").versions()).isInstanceOf(DatalineException.NotFound.class);
        assertThatThrownBy(() -> feedback.add(List.of(Map.of("feedback", "no id"))))
                .isInstanceOfSatisfying(DatalineException.Invalid.class, e -> assertThat(e.errors()).isNotEmpty());
        assertThatThrownBy(() -> feedback.commit("nothing staged")).isInstanceOf(DatalineException.Invalid.class);
        assertThatThrownBy(() -> feedback.add(Map.of("id", "x1", "feedback", "y", "sentiment", "positive")).commit("stale", null, "0".repeat(64)))
                .isInstanceOf(DatalineException.Conflict.class);
        assertThatThrownBy(() -> Dataline.connect("http://127.0.0.1:1", "k").dataset(name).versions()).isInstanceOf(DatalineException.Unavailable.class);
    }
}
