package org.ptorder.analyze.check;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.store.Sql;
import org.ptorder.ingest.store.Transaction;

/**
 * Writes a run's results into {@code check_runs}, {@code violations} and {@code check_undecided}
 * (documented in schema.sql), replacing the rows of every file checked, in one transaction. A
 * database written before these tables existed gets them (the DDL comes from schema.sql).
 */
public final class CheckStore {
    static final String[] TABLES = {"check_runs", "violations", "check_undecided"};
    private static final String VERSION = versionText();

    private CheckStore() { }

    private static String versionText() {
        String v = CheckStore.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public static void store(Connection c, List<CheckRun.FileResult> results) throws SQLException {
        ensureTables(c);
        Transaction.run(c, () -> {
            int runId = nextRunId(c);
            for (CheckRun.FileResult fr : results) {
                for (String t : TABLES) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + t + " WHERE file_id = ?")) {
                        ps.setInt(1, fr.fileId());
                        ps.executeUpdate();
                    }
                }
                insertRun(c, runId, fr);
                insertViolations(c, runId, fr);
                insertUndecided(c, runId, fr);
                runId++;
            }
        });
    }

    /** Creates the checker's tables from schema.sql where missing (databases from older versions). */
    static void ensureTables(Connection c) throws SQLException {
        for (String t : TABLES) {
            if (CheckRun.hasTable(c, t)) {
                continue;
            }
            try (Statement st = c.createStatement()) {
                st.execute(Sql.createTable(t));
            }
        }
    }

    private static int nextRunId(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT coalesce(max(run_id), 0) + 1 FROM check_runs")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static void insertRun(Connection c, int runId, CheckRun.FileResult fr) throws SQLException {
        CheckResult r = fr.result();
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO check_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setInt(1, runId);
            ps.setInt(2, fr.fileId());
            ps.setTimestamp(3, Timestamp.from(fr.started()));
            ps.setString(4, VERSION);
            ps.setString(5, fr.options().describe());
            ps.setLong(6, r.ops());
            ps.setInt(7, r.cpus());
            ps.setDouble(8, fr.seconds());
            ps.setLong(9, r.count(Label.OBSERVED));
            ps.setLong(10, r.count(Label.LATENT));
            ps.setLong(11, r.count(Label.BENIGN_RACE));
            ps.executeUpdate();
        }
    }

    private static void insertViolations(Connection c, int runId, CheckRun.FileResult fr) throws SQLException {
        // 5 leading columns, 5 UBIGINT values, 7 per event (writer, reader), 8 trailing columns
        String u = "CAST(? AS UBIGINT)";
        String sql = "INSERT INTO violations VALUES (?, ?, ?, ?, ?, " + String.join(", ", java.util.Collections.nCopies(5, u))
            + ", " + String.join(", ", java.util.Collections.nCopies(14 + 8, "?")) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int n = 0;
            for (Finding f : fr.result().findings()) {
                int i = 1;
                ps.setInt(i++, runId);
                ps.setInt(i++, fr.fileId());
                ps.setString(i++, f.cls().text());
                ps.setString(i++, f.label().text());
                ps.setString(i++, f.coverage().text());
                ps.setString(i++, ubig(f.pte()));
                ps.setString(i++, ubig(f.va()));
                ps.setString(i++, ubig(f.oldValue()));
                ps.setString(i++, ubig(f.newValue()));
                ps.setString(i++, ubig(f.frame()));
                i = event(ps, i, f.writer());
                i = event(ps, i, f.reader());
                ps.setObject(i++, f.evidence() == null ? null : f.evidence().seq());
                ps.setString(i++, f.evidenceText());
                ps.setString(i++, f.hbPath());
                ps.setString(i++, f.missing());
                ps.setObject(i++, f.missingSeq() == MmuOp.NONE ? null : f.missingSeq());
                ps.setString(i++, String.join("\n", f.interleaving()));
                ps.setString(i++, f.rootCause());
                ps.setString(i, f.note());
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private static int event(PreparedStatement ps, int i, EventRef e) throws SQLException {
        ps.setLong(i++, e.seq());
        ps.setInt(i++, e.cpu());
        ps.setObject(i++, e.ts() == MmuOp.NONE ? null : e.ts());
        ps.setObject(i++, e.line() == MmuOp.NONE ? null : e.line());
        ps.setObject(i++, e.offset() == MmuOp.NONE ? null : e.offset());
        ps.setString(i++, e.at());
        ps.setString(i++, e.detail());
        return i;
    }

    private static String ubig(long v) {
        return v == MmuOp.NONE ? null : Long.toUnsignedString(v);
    }

    private static void insertUndecided(Connection c, int runId, CheckRun.FileResult fr) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO check_undecided VALUES (?, ?, ?, ?, ?)")) {
            for (Undecided u : fr.result().undecided()) {
                ps.setInt(1, runId);
                ps.setInt(2, fr.fileId());
                ps.setString(3, u.classes());
                ps.setString(4, u.reason());
                ps.setObject(5, u.count() < 0 ? null : u.count());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
