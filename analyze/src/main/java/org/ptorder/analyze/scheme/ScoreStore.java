package org.ptorder.analyze.scheme;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.ingest.store.Sql;
import org.ptorder.ingest.store.Transaction;

/**
 * Writes {@code scheme_scores} (schema.sql), replacing its rows, in one transaction. The table
 * holds the scores of one guest trace (its shape is shared with {@code ptorder report}): the first
 * file scored; the caller says so when there were more.
 */
public final class ScoreStore {
    private ScoreStore() { }

    public static void store(Connection c, ScoreRun.Outcome o) throws SQLException {
        if (!CheckRun.hasTable(c, "scheme_scores")) {
            try (Statement st = c.createStatement()) {
                st.execute(Sql.createTable("scheme_scores"));
            }
        }
        Transaction.run(c, () -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM scheme_scores");
                 PreparedStatement ins = c.prepareStatement("INSERT INTO scheme_scores (scheme, param_set, metric,"
                     + " value, low, high, unit) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                del.executeUpdate();
                for (ScoreRun.FileScore f : o.files().subList(0, Math.min(1, o.files().size()))) {
                    for (ScoreRows.Row r : ScoreRows.rows(o, f)) {
                        ins.setString(1, r.scheme());
                        ins.setString(2, r.paramSet());
                        ins.setString(3, r.metric());
                        ins.setDouble(4, r.value());
                        if (r.low() == null) {
                            ins.setNull(5, Types.DOUBLE);
                            ins.setNull(6, Types.DOUBLE);
                        } else {
                            ins.setDouble(5, r.low());
                            ins.setDouble(6, r.high());
                        }
                        ins.setString(7, r.unit());
                        ins.addBatch();
                    }
                    ins.executeBatch();
                }
            }
        });
    }
}
