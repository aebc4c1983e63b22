package org.ptorder.ingest.store;

import java.sql.Connection;
import java.sql.SQLException;

/** All or nothing on a JDBC connection: a re-run replaces its earlier rows or leaves them as they were. */
public final class Transaction {
    private Transaction() { }

    /** Work on the connection that may fail with SQL errors. */
    @FunctionalInterface
    public interface Work {
        void run() throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed if it completes, rolled back if it throws; auto-commit as before. */
    public static void run(Connection c, Work work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            work.run();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
