package io.dataline.service.flyway;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;

/**
 * Lets a database keep a migration applied in an earlier released form, when the only change since was moving
 * shared tables out of it (into the shared migrations): before Flyway validates, the history row of version V is
 * updated to today's checksum if and only if it holds exactly the released checksum given for V. Any other
 * difference still fails validation, as Flyway intends. Given as {@code version:checksum,...}.
 */
public final class ReleasedChecksums implements Callback {

    private final Map<String, Integer> released;
    /** Set once the history was brought in line: validate and migrate at start-up need it once, not twice. */
    private volatile boolean aligned;

    public ReleasedChecksums(Map<String, Integer> released) {
        this.released = Map.copyOf(released);
    }

    /** Parses {@code "1:-60741629,2:215553019"}; blank gives none. */
    public static ReleasedChecksums parse(String spec) {
        Map<String, Integer> released = new HashMap<>();
        for (String entry : spec == null ? new String[0] : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":");
            if (parts.length != 2) {
                throw new IllegalArgumentException("dataline.flyway.released-checksums: \"" + entry + "\" is not version:checksum");
            }
            released.put(parts[0].trim(), Integer.parseInt(parts[1].trim()));
        }
        return new ReleasedChecksums(released);
    }

    public boolean isEmpty() {
        return released.isEmpty();
    }

    @Override
    public boolean supports(Event event, Context context) {
        return !released.isEmpty() && !aligned && (event == Event.BEFORE_MIGRATE || event == Event.BEFORE_VALIDATE);
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Configuration configuration = context.getConfiguration();
        MigrationInfo[] all = Flyway.configure(configuration.getClassLoader()).configuration(configuration).load().info().all();
        String table = historyTable(configuration);
        try (Connection connection = configuration.getDataSource().getConnection()) {
            connection.setAutoCommit(true);
            for (MigrationInfo migration : all) {
                if (!migration.isApplied() || migration.getVersion() == null || migration.getResolvedChecksum() == null
                        || migration.isChecksumMatching()) {
                    continue;
                }
                Integer expected = released.get(migration.getVersion().getVersion());
                if (expected != null && expected.equals(migration.getAppliedChecksum())) {
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE " + table + " SET checksum = ? WHERE version = ? AND checksum = ?")) {
                        update.setInt(1, migration.getResolvedChecksum());
                        update.setString(2, migration.getVersion().getVersion());
                        update.setInt(3, expected);
                        update.executeUpdate();
                    }
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("updating released checksums failed: " + e.getMessage(), e);
        }
        aligned = true;
    }

    private static String historyTable(Configuration configuration) {
        String schema = configuration.getDefaultSchema() != null ? configuration.getDefaultSchema()
                : configuration.getSchemas().length > 0 ? configuration.getSchemas()[0] : null;
        String table = '"' + configuration.getTable().replace("\"", "\"\"") + '"';
        return schema == null ? table : '"' + schema.replace("\"", "\"\"") + "\"." + table;
    }

    @Override
    public String getCallbackName() {
        return "dataline-released-checksums";
    }
}
