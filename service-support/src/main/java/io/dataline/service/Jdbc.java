package io.dataline.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Plain JDBC reads that several services make, written once. */
public final class Jdbc {

    private Jdbc() {
    }

    /**
     * The one number a query such as {@code SELECT count(*) FROM ...} returns, on a connection of its own (outside any
     * transaction of the caller's); {@code what} names what is counted in the error.
     */
    public static long count(DataSource dataSource, String sql, String what) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("counting " + what + " failed: " + e.getMessage(), e);
        }
    }
}
