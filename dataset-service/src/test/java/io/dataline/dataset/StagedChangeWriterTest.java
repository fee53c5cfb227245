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
 * uploads larger than a batch stage every record, and un-staging removes exactly the keys given; a commit's read and
 * discard of its area go by the primary key's index even where the planner would read the whole table.
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

    @Test
    @io.quarkus.test.TestTransaction
    void shouldFindAnAreasRowsByTheIndexWhenTheStatisticsSayAReadOfTheWholeTableIsCheaper() throws SQLException {
        StagedChangeRepository.Area area = StagedChangeRepository.Area.shared(datasetId(Api.newFeedbackDataset("WriterByIndex")));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(5)); // rows in no key order: reading by the index jumps about
        try (StagedChangeRepository.Writer writer = staged.writer(area)) {
            for (int i : order) {
                writer.stage(bytes(String.format("k%05d", i)), bytes("{\"i\":" + i + ",\"text\":\"" + "x".repeat(150) + "\"}"));
            }
        }
        try (Connection connection = dataSource.getConnection(); java.sql.Statement statement = connection.createStatement()) {
            statement.execute("ANALYZE staged_change"); // as after a large upload: nearly every row is this area's
            try (ResultSet plan = statement.executeQuery("EXPLAIN SELECT record_key, op, record FROM staged_change WHERE dataset_id = "
                    + area.datasetId() + " AND change_set = '" + area.changeSet() + "' ORDER BY record_key")) {
                plan.next();
                assertThat(plan.getString(1)).as("what the planner alone would do").startsWith("Sort");
            }
        }
        long[] before = scans();

        long[] read = {0};
        staged.forEachInKeyOrder(area, change -> read[0]++);
        long discarded = staged.clear(area);

        long[] after = scans();
        assertThat(read[0]).isEqualTo(20_000);
        assertThat(discarded).isEqualTo(20_000);
        assertThat(after[0] - before[0]).as("reads of the whole staging table").isZero();
        assertThat(after[1] - before[1]).as("scans of its primary key's index").isEqualTo(2);
        try (Connection connection = dataSource.getConnection(); java.sql.Statement statement = connection.createStatement();
                ResultSet setting = statement.executeQuery("SELECT current_setting('enable_seqscan')")) {
            setting.next();
            assertThat(setting.getString(1)).as("the planner's setting after them").isEqualTo("on");
        }
    }

    /** This transaction's sequential and index scans of the staging table so far. */
    private long[] scans() throws SQLException {
        try (Connection connection = dataSource.getConnection(); java.sql.Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'staged_change'")) {
            return rows.next() ? new long[] {rows.getLong(1), rows.getLong(2)} : new long[] {0, 0};
        }
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
