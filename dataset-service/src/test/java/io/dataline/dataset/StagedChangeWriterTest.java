package io.dataline.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The staging writer against real PostgreSQL: a thousand changes go in one statement, so a key given twice before a
 * batch is written must still end as its last change (a single INSERT ... ON CONFLICT cannot touch one row twice);
 * uploads larger than a batch stage every record, and un-staging removes exactly the keys given.
 */
@QuarkusTest
class StagedChangeWriterTest {

    @Inject
    StagedChangeRepository staged;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldKeepTheLastChangeOfAKeyGivenTwiceInOneBatch() throws SQLException {
        StagedChangeRepository.Area area = StagedChangeRepository.Area.shared(datasetId(Api.newFeedbackDataset("WriterTwice")));
        try (StagedChangeRepository.Writer writer = staged.writer(area)) {
            writer.stage(bytes("a"), bytes("{\"v\":1}"));
            writer.stage(bytes("b"), bytes("{\"v\":2}"));
            writer.unstage(bytes("a"));
            writer.stage(bytes("a"), bytes("{\"v\":3}"));
            writer.stage(bytes("c"), null);
            writer.stage(bytes("b"), bytes("{\"v\":4}"));
        }

        List<String> rows = new ArrayList<>();
        staged.forEachInKeyOrder(area, change -> rows.add(text(change.key()) + "=" + (change.isDelete() ? "delete" : text(change.record()))));
        assertThat(rows).containsExactly("a={\"v\":3}", "b={\"v\":4}", "c=delete");
    }

    @Test
    void shouldStageAndUnstageAcrossBatches() throws SQLException {
        StagedChangeRepository.Area area = StagedChangeRepository.Area.shared(datasetId(Api.newFeedbackDataset("WriterBatches")));
        try (StagedChangeRepository.Writer writer = staged.writer(area)) {
            for (int i = 0; i < 2_500; i++) {
                writer.stage(bytes(String.format("k%05d", i)), i % 10 == 0 ? null : bytes("{\"i\":" + i + "}"));
            }
        }
        assertThat(staged.counts(area)).isEqualTo(new StagedChangeRepository.Counts(2_250, 250));

        try (StagedChangeRepository.Writer writer = staged.writer(area)) {
            for (int i = 0; i < 2_500; i += 2) {
                writer.unstage(bytes(String.format("k%05d", i)));
            }
            writer.unstage(bytes("never-staged"));
        }
        assertThat(staged.counts(area)).isEqualTo(new StagedChangeRepository.Counts(1_250, 0));
        assertThat(staged.find(area, bytes("k01001")).orElseThrow().record()).isEqualTo(bytes("{\"i\":1001}"));
        assertThat(staged.find(area, bytes("k01000"))).isEmpty();
    }

    private long datasetId(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT id FROM dataset WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getLong(1);
            }
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
