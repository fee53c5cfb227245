package io.dataline.training;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The plan PostgreSQL gives a statement once it is a prepared statement's generic plan (what a statement run many
 * times ends up with), sequential scans discouraged, so a test can say which index answers it.
 */
final class QueryPlans {

    private QueryPlans() {
    }

    /** {@code EXPLAIN} of {@code sql} (its one {@code ?} of type {@code type}) executed with {@code value} (SQL literal). */
    static String generic(TrainingRunRepository runs, String sql, String type, String value) {
        return QuarkusTransaction.requiringNew().call(() -> runs.getEntityManager().unwrap(org.hibernate.Session.class)
                .doReturningWork(connection -> {
                    try (java.sql.Statement statement = connection.createStatement()) {
                        statement.execute("SET LOCAL enable_seqscan = off");
                        statement.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                        statement.execute("PREPARE planned (" + type + ") AS " + sql.replace("?", "$1"));
                        StringBuilder text = new StringBuilder();
                        try (java.sql.ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE planned (" + value + ")")) {
                            while (rows.next()) {
                                text.append(rows.getString(1)).append('\n');
                            }
                        } finally {
                            statement.execute("DEALLOCATE planned");
                        }
                        return text.toString();
                    }
                }));
    }
}
