package io.dataline.dataset;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The service vacuums the staging table once enough staged changes were committed or discarded (500 in tests): the rows
 * of a commit, of a discard by request, of changes undone by a later upload are reclaimed by a real VACUUM started
 * after them, and discards count once their transaction commits, never when it rolls back.
 */
@QuarkusTest
class StagedChangeVacuumTest {

    private static final int RECORDS = 600;

    @Inject
    StagedChangeVacuum vacuum;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void shouldVacuumTheStagingTableAfterACommitOfManyStagedChanges() throws SQLException {
        String name = Api.newFeedbackDataset("Vacuum");
        stage(name, "neutral");
        long reclaimed = vacuum.reclaimed();
        long vacuums = manualVacuums();

        Api.commit(name, "many").then().statusCode(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> vacuum.reclaimed() >= reclaimed + RECORDS);
        assertTrue(manualVacuums() > vacuums, "PostgreSQL counted no VACUUM of staged_change");
        // the staging area is as usable as before
        stage(name, "positive");
        Api.admin().get("/datasets/{d}/staged", name).then().statusCode(200).body("upserts", equalTo(RECORDS));
        Api.commit(name, "again").then().statusCode(201);
    }

    @Test
    void shouldCountAStagingAreaDiscardedByRequest() {
        String name = Api.newFeedbackDataset("VacuumDiscard");
        stage(name, "neutral");
        long reclaimed = vacuum.reclaimed();

        Api.admin().delete("/datasets/{d}/staged", name).then().statusCode(200).body("discarded", equalTo(RECORDS));

        await().atMost(Duration.ofSeconds(30)).until(() -> vacuum.reclaimed() >= reclaimed + RECORDS);
    }

    @Test
    void shouldNotCountDiscardsOfATransactionThatRolledBack() {
        long counted = vacuum.counted();

        QuarkusTransaction.begin();
        vacuum.discarded(10_000);
        QuarkusTransaction.rollback();
        assertEquals(counted, vacuum.counted());

        QuarkusTransaction.begin();
        vacuum.discarded(7);
        QuarkusTransaction.commit();
        assertEquals(counted + 7, vacuum.counted());
    }

    @Test
    void shouldCountChangesUndoneByALaterUpload() {
        String name = Api.newFeedbackDataset("VacuumUndo");
        stage(name, "neutral");
        Api.commit(name, "first").then().statusCode(201);
        stage(name, "positive");
        long reclaimed = vacuum.reclaimed();

        // the head's records again: every staged change is undone (un-staged), nothing is left to commit
        Api.admin().contentType("application/x-ndjson").body(Api.ndjson(0, RECORDS, "neutral").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/datasets/{d}/records", name).then().statusCode(200).body("staged", equalTo(0));
        Api.admin().get("/datasets/{d}/staged", name).then().statusCode(200).body("upserts", equalTo(0));

        await().atMost(Duration.ofSeconds(30)).until(() -> vacuum.reclaimed() >= reclaimed + RECORDS);
    }

    private static void stage(String name, String sentiment) {
        Api.admin().contentType("application/x-ndjson").body(Api.ndjson(0, RECORDS, sentiment).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/datasets/{d}/records", name).then().statusCode(200).body("staged", equalTo(RECORDS));
    }

    private long manualVacuums() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'staged_change'")) {
            row.next();
            return row.getLong(1);
        }
    }
}
