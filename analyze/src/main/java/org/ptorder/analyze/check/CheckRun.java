package org.ptorder.analyze.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ptorder.ingest.mmu.PrefetchedOps;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.pipeline.InputFormat;
import org.ptorder.ingest.store.DuckStore;

/**
 * {@code ptorder check DB|FILE}: finds the input's op streams and checks each. A database is
 * read from {@code mmu_ops} (each file_id its own trace) and, unless told not to, gets the
 * results in {@code violations}, {@code check_runs} and {@code check_undecided}, replacing
 * earlier rows of the files checked. A .pmt file is checked straight from the file; any other
 * guest trace (ftrace) is ingested into a temporary database first.
 */
public final class CheckRun {
    private CheckRun() { }

    /** One trace file's result. */
    public record FileResult(int fileId, String path, CheckResult result, double seconds, Instant started,
                             CheckOptions options) { }

    /** What a run produced, and where it went. */
    public record Outcome(Path input, boolean database, boolean stored, List<FileResult> files) { }

    /**
     * @param system "netbsd", "linux" or null (a .pmt's own {@code system=}; ops in a database are
     *               taken as placed at their effect, as ftrace lowering does)
     * @param fileId a database's file to check, or -1 for all
     */
    public static Outcome run(Path input, CheckOptions opts, String system, boolean store, int fileId)
        throws Exception {
        if (isDuckDb(input)) {
            return new Outcome(input, true, store, database(input, opts, system, store, fileId));
        }
        InputFormat fmt = InputFormat.detect(input);
        switch (fmt) {
            case PMT -> {
                Instant t = Instant.now();
                long t0 = System.nanoTime();
                CheckResult r = PmtCheck.check(input, opts, system, 0);
                double secs = (System.nanoTime() - t0) / 1e9;
                String sys = system != null ? system : PmtCheck.scan(input).header().system();
                return new Outcome(input, false, false, List.of(new FileResult(0, input.toString(), r, secs, t,
                    opts.withLinuxLazy("linux".equals(sys)))));
            }
            case XENTRACE -> throw TraceInputException.whole(input, "a xentrace file records Xen's side (hypercalls),"
                + " not the guest's queues: check needs a guest trace (.pmt, ftrace) or a database with mmu_ops rows");
            default -> {
                return Ingest.intoTemporaryDatabase(List.of(input), Ingest.Options.defaults(), "check", db -> {
                    List<FileResult> named = new ArrayList<>();
                    for (FileResult f : database(db, opts, system, false, -1)) {
                        named.add(new FileResult(f.fileId(), input.toString(), f.result(), f.seconds(), f.started(),
                            f.options()));
                    }
                    return new Outcome(input, false, false, named);
                });
            }
        }
    }

    /** A DuckDB database file starts with a 8-byte checksum and the magic "DUCK". */
    public static boolean isDuckDb(Path p) {
        if (!Files.isRegularFile(p)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] h = in.readNBytes(12);
            return h.length == 12 && new String(h, 8, 4, StandardCharsets.ISO_8859_1).equals("DUCK");
        } catch (IOException e) {
            return false;
        }
    }

    private static List<FileResult> database(Path db, CheckOptions opts, String system, boolean store, int only)
        throws SQLException {
        List<FileResult> out = new ArrayList<>();
        try (Connection c = DuckStore.open(db, store)) {
            if (!hasTable(c, "mmu_ops")) {
                throw TraceInputException.whole(db, "no mmu_ops table: not a ptorder database, or one from an older"
                    + " version; ingest the guest trace again");
            }
            List<Integer> files = DbOps.files(c);
            if (only >= 0) {
                if (!files.contains(only)) {
                    throw TraceInputException.whole(db, "no mmu_ops rows for file " + only + " (files with rows: "
                        + files + ")");
                }
                files = List.of(only);
            }
            if (files.isEmpty()) {
                throw TraceInputException.whole(db, "no mmu_ops rows: the database holds no guest trace (xentrace"
                    + " records only Xen's side); ingest a .pmt or ftrace file");
            }
            CheckOptions o = opts.withLinuxLazy("linux".equals(system));
            for (int f : files) {
                Instant t = Instant.now();
                long t0 = System.nanoTime();
                TraceFacts facts = DbOps.facts(c, f);
                Checker ch = new Checker(o, facts, f);
                try (PrefetchedOps ops = new PrefetchedOps(DbOps.open(c, f), "ptorder-read")) {
                    while (ops.next()) {
                        ch.accept(ops.op());
                    }
                }
                CheckResult r = ch.finish();
                double secs = (System.nanoTime() - t0) / 1e9;
                out.add(new FileResult(f, tracePath(c, f, db), r, secs, t, o));
            }
            if (store) {
                CheckStore.store(c, out);
            }
        }
        return out;
    }

    public static boolean hasTable(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?")) {
            ps.setString(1, table);
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getLong(1) > 0;
            }
        }
    }

    /** The input path of {@code fileId} as trace_files recorded it, or a stand-in naming the database. */
    public static String tracePath(Connection c, int fileId, Path db) {
        try (PreparedStatement ps = c.prepareStatement("SELECT path FROM trace_files WHERE file_id = ?")) {
            ps.setInt(1, fileId);
            try (ResultSet r = ps.executeQuery()) {
                if (r.next()) {
                    return r.getString(1);
                }
            }
        } catch (SQLException noTable) {
            // fall through
        }
        return db + " (file " + fileId + ")";
    }
}
