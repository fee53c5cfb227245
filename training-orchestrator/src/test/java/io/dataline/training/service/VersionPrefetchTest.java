package io.dataline.training.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataline.events.EventJson;
import io.dataline.models.TrainingSpec;
import io.dataline.service.DatasetServiceClient;
import io.dataline.testsupport.DatasetServiceApi;
import io.dataline.testsupport.SampleRecords;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small version read while its run waits, against the real dataset-service: the run's files are the same byte for
 * byte as its own read would write; a read that failed (a wrong announcement) is not used, and the run reads the version
 * itself, as it does when the version's lines outgrow what a read ahead holds; what is held stays within its bounds and
 * is taken once.
 */
@QuarkusTest
class VersionPrefetchTest {

    private static final TrainingSpec SPEC = TrainingSpec.parse(EventJson.mapper().valueToTree(Map.of("labelField", "sentiment",
            "features", List.of(Map.of("field", "feedback", "type", "text")), "trainer", "builtin", "holdoutFraction", 0.25, "seed", 42)));

    @Inject
    DatasetServiceClient datasets;

    @TempDir
    Path directory;

    /** A dataset's slug and the hash of its version of {@code records} feedback records. */
    private static String[] version(String name, int records, long seed) {
        String slug = DatasetServiceApi.createFeedback(name, Map.of("validation", Map.of()));
        return new String[] {slug, DatasetServiceApi.commit(name, SampleRecords.feedback(records, seed), null)};
    }

    private static String dataHash(String slug, String version) {
        return DatasetServiceApi.request().get("/datasets/{d}/versions/{v}", slug, version).then().statusCode(200).extract().path("dataHash");
    }

    @Test
    void shouldGiveTheRunTheFilesItsOwnReadWouldWrite() throws Exception {
        String[] v = version(DatasetServiceApi.uniqueName("ReadAhead"), 300, 21);
        VersionPrefetch prefetch = new VersionPrefetch(datasets);
        try {
            assertThat(prefetch.begin(v[0], v[1], 300L)).isTrue();
            assertThat(prefetch.begin(v[0], v[1], 300L)).as("one read of a version at a time").isFalse();

            VersionData ahead = VersionData.load(datasets, prefetch, v[0], v[1], SPEC, directory.resolve("ahead"));
            VersionData own = VersionData.load(datasets, v[0], v[1], SPEC, directory.resolve("own"));

            assertThat(ahead.readAhead()).isTrue();
            assertThat(own.readAhead()).isFalse();
            assertThat(ahead.trainingCount() + ahead.heldOutCount()).isEqualTo(300);
            assertThat(ahead.heldOutCount()).isPositive();
            assertThat(List.of(ahead.trainingCount(), ahead.heldOutCount(), ahead.labelledHeldOut(), ahead.dataHash()))
                    .isEqualTo(List.of(own.trainingCount(), own.heldOutCount(), own.labelledHeldOut(), own.dataHash()));
            assertThat(ahead.dataHash()).isEqualTo(dataHash(v[0], v[1]));
            assertThat(Files.readAllBytes(ahead.trainingFile())).isEqualTo(Files.readAllBytes(own.trainingFile()));
            assertThat(Files.readAllBytes(ahead.heldOutFile())).isEqualTo(Files.readAllBytes(own.heldOutFile()));

            assertThat(prefetch.held()).as("taken once").isZero();
            assertThat(prefetch.take(v[0], v[1])).isEmpty();
            assertThat(VersionData.load(datasets, prefetch, v[0], v[1], SPEC, directory.resolve("again")).readAhead()).isFalse();
        } finally {
            prefetch.stop();
        }
    }

    @Test
    void shouldLetTheRunReadTheVersionItselfWhenTheReadAheadFailed() throws Exception {
        String[] v = version(DatasetServiceApi.uniqueName("ReadAheadWrong"), 120, 22);
        // what a wrong dataset.validated would have announced: the read ahead fails its data hash check
        datasets.announce(v[0], DatasetServiceClient.announcedVersion(v[1], 120, "0".repeat(64), 4));
        VersionPrefetch prefetch = new VersionPrefetch(datasets);
        try {
            assertThat(prefetch.begin(v[0], v[1], 120L)).isTrue();

            VersionData data = VersionData.load(datasets, prefetch, v[0], v[1], SPEC, directory);

            assertThat(data.readAhead()).isFalse();
            assertThat(data.dataHash()).isEqualTo(dataHash(v[0], v[1]));
            assertThat(data.trainingCount() + data.heldOutCount()).isEqualTo(120);
            assertThat(prefetch.held()).isZero();
        } finally {
            prefetch.stop();
        }
    }

    @Test
    void shouldStopAReadWhoseLinesOutgrowItsBound() throws Exception {
        String[] v = version(DatasetServiceApi.uniqueName("ReadAheadLarge"), 50, 24);
        VersionPrefetch prefetch = new VersionPrefetch(datasets, 1_000); // 50 records are several thousand characters
        try {
            assertThat(prefetch.begin(v[0], v[1], 50L)).isTrue();

            VersionData data = VersionData.load(datasets, prefetch, v[0], v[1], SPEC, directory);

            assertThat(data.readAhead()).isFalse();
            assertThat(data.trainingCount() + data.heldOutCount()).isEqualTo(50);
        } finally {
            prefetch.stop();
        }
    }

    @Test
    void shouldHoldOnlySmallVersionsAndNoMoreThanItsBound() throws Exception {
        String[] v = version(DatasetServiceApi.uniqueName("ReadAheadBound"), 50, 23);
        VersionPrefetch prefetch = new VersionPrefetch(datasets);
        try {
            assertThat(prefetch.begin(v[0], v[1], VersionPrefetch.MAX_RECORDS + 1)).isFalse();
            assertThat(prefetch.begin(v[0], v[1], null)).isFalse();
            for (int i = 0; i < VersionPrefetch.MAX_HELD; i++) { // versions that do not exist: held until taken or discarded
                assertThat(prefetch.begin(v[0], String.format("%064x", i), 10L)).isTrue();
            }
            assertThat(prefetch.begin(v[0], v[1], 50L)).isFalse();
            assertThat(prefetch.take(v[0], String.format("%064x", 0))).as("a read that failed is not used").isEmpty();
            prefetch.discard(v[0], String.format("%064x", 1));
            assertThat(prefetch.held()).isEqualTo(VersionPrefetch.MAX_HELD - 2);

            assertThat(prefetch.begin(v[0], v[1], 50L)).isTrue();
            assertThat(prefetch.take(v[0], v[1])).get().satisfies(read -> assertThat(read.lines()).hasSize(50)
                    .allSatisfy(line -> assertThat(EventJson.mapper().readTree(line).has("sentiment")).isTrue()));
            prefetch.discard(v[0], String.format("%064x", 2));
            prefetch.discard(v[0], String.format("%064x", 3));
            assertThat(prefetch.held()).isZero();
        } finally {
            prefetch.stop();
        }
    }
}
