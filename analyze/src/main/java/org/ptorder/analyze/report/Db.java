package org.ptorder.analyze.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Small JDBC helpers the report and diff loaders share. */
public final class Db {
    private Db() { }

    /** One number from a query whose only parameter is a file id. */
    public static long count(Connection c, String sql, int fileId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, fileId);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    public static Long longOrNull(ResultSet r, int i) throws SQLException {
        long v = r.getLong(i);
        return r.wasNull() ? null : v;
    }

    public static Double doubleOrNull(ResultSet r, int i) throws SQLException {
        double v = r.getDouble(i);
        return r.wasNull() ? null : v;
    }

    /** SQL for a 64-bit machine value as {@code 0x...} lower-case hex (NULL stays NULL), as the checker prints them. */
    public static String hex(String col) {
        return "'0x' || lower(hex(" + col + "))";
    }
}
