package org.ptorder.testdata;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.sim.InjectionKind;
import org.ptorder.ingest.sim.SimConfig;
import org.ptorder.ingest.sim.Simulator;
import org.ptorder.ingest.store.DuckStore;

/**
 * Databases the query and notebook tests explore, made once per test JVM the way a user makes
 * them (ingest, then check): run-b of the real captures (xentrace + guest ftrace), and a simulated
 * NetBSD and Linux guest with every kind of bug planted, so that the violation queries have rows.
 */
public final class TestDatabases {
    public static final long RUN_B_CPU_HZ = 2_095_996_000L;
    private static Path dir;
    private static Path runB;
    private static Path simulated;

    private TestDatabases() { }

    /** {@code ../shared/data/real/qemu-tcg-xen417-pv-dom0/NAME}, or null when the real data is missing. */
    public static Path realRun(String name) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolveSibling("shared").resolve("data/real/qemu-tcg-xen417-pv-dom0").resolve(name);
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        return null;
    }

    /** run-b's xentrace and ftrace ingested together (--cpu-hz 2095996000), then checked; null without the data. */
    public static synchronized Path runB() throws Exception {
        Path run = realRun("run-b-x86tsc");
        if (run == null) {
            return null;
        }
        if (runB == null) {
            Path db = dir().resolve("run-b.duckdb");
            Ingest.run(List.of(run.resolve("xen.trace"), run.resolve("ftrace-kernel-trace.txt.gz")), db,
                new Ingest.Options(RUN_B_CPU_HZ, Progress.NONE));
            CheckRun.run(db, CheckOptions.defaults(), null, true, -1);
            runB = db;
        }
        return runB;
    }

    /**
     * 'ptorder simulate --system netbsd|linux --cpus 4 --ops 100k --inject all --seed 3', both
     * ingested into one database (file 0 netbsd, file 1 linux) and checked.
     */
    public static synchronized Path simulatedWithBugs() throws Exception {
        if (simulated == null) {
            List<Path> pmts = new ArrayList<>();
            Map<InjectionKind, Double> all = new EnumMap<>(InjectionKind.class);
            for (InjectionKind k : InjectionKind.values()) {
                all.put(k, 5e-4);
            }
            for (String system : List.of("netbsd", "linux")) {
                Path pmt = dir().resolve("sim-" + system + ".pmt");
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(pmt), 1 << 16)) {
                    Simulator.run(new SimConfig(system, 4, 100_000, 0, "mixed", 3, all), out, null, null);
                }
                pmts.add(pmt);
            }
            Path db = dir().resolve("sim.duckdb");
            Ingest.run(pmts, db, Ingest.Options.defaults());
            CheckRun.run(db, CheckOptions.defaults(), null, true, -1);
            simulated = db;
        }
        return simulated;
    }

    /**
     * Makes sure {@code scheme_scores} has rows. Until 'ptorder score' exists this computes two
     * schemes' rows from the trace itself, in SQL, in the table's long format: SN (as built: the
     * trace's own flushes and remote invalidations, the checker's findings left) and Sa (SN plus
     * an IPI to every other CPU before each read-op, a flush hypercall on each CPU found with a
     * non-empty queue, V1/V3/V5-pending/V8 prevented), IPI wait priced at 3-5 us
     * (reference/ordering-model.md section 5). Leaves the table alone when it has rows.
     */
    public static void ensureSchemeScores(Path db) throws Exception {
        try (Connection c = DuckStore.open(db, true); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS scheme_scores (scheme VARCHAR, param_set VARCHAR, metric VARCHAR,"
                + " value DOUBLE, low DOUBLE, high DOUBLE, unit VARCHAR)");
            try (ResultSet r = st.executeQuery("SELECT count(*) FROM scheme_scores")) {
                r.next();
                if (r.getLong(1) > 0) {
                    return;
                }
            }
            st.execute("CREATE TEMP TABLE fan AS SELECT f.*, t.pcpus - 1 AS others FROM read_op_fanout f"
                + " JOIN trace_files t USING (file_id)");
            st.execute("""
                INSERT INTO scheme_scores
                SELECT 'SN', 'default', 'ops', count(*), count(*), count(*), 'ops' FROM mmu_ops
                UNION ALL SELECT 'Sa', 'default', 'ops', count(*), count(*), count(*), 'ops' FROM mmu_ops
                UNION ALL SELECT 'SN', 'default', 'hypercalls.mmu_update', n, n, n, 'calls'
                    FROM (SELECT count(*)::DOUBLE AS n FROM mmu_ops WHERE op = 'flush')
                UNION ALL SELECT 'Sa', 'default', 'hypercalls.mmu_update', n + p, n + p, n + p, 'calls'
                    FROM (SELECT count(*)::DOUBLE AS n FROM mmu_ops WHERE op = 'flush'),
                         (SELECT sum(remote_pending)::DOUBLE AS p FROM fan)
                UNION ALL SELECT 'SN', 'default', 'ipis_sent', s, s, s, 'IPIs'
                    FROM (SELECT sum(remote_targets)::DOUBLE AS s FROM fan)
                UNION ALL SELECT 'Sa', 'default', 'ipis_sent', s, s, s, 'IPIs'
                    FROM (SELECT sum(remote_targets + others)::DOUBLE AS s FROM fan)
                UNION ALL SELECT 'SN', 'default', 'initiator_wait', 0.0, 0.0, 0.0, 'us'
                UNION ALL SELECT 'Sa', 'default', 'initiator_wait', 4 * k, 3 * k, 5 * k, 'us'
                    FROM (SELECT count(*) FILTER (WHERE others > 0)::DOUBLE AS k FROM fan)""");
            st.execute("""
                INSERT INTO scheme_scores
                SELECT s.scheme, 'default', 'violations.' || v.class, count(*) FILTER (WHERE s.scheme = 'SN'
                       OR v.class NOT IN ('V1', 'V3', 'V3-local', 'V5-pending', 'V8')), NULL, NULL, 'findings'
                FROM violations v, (VALUES ('SN'), ('Sa')) s(scheme)
                GROUP BY s.scheme, v.class""");
            for (String scheme : List.of("SN", "Sa")) {
                st.execute("INSERT INTO scheme_scores SELECT '" + scheme + "', 'default', 'violations.V1', 0, NULL, NULL,"
                    + " 'findings' WHERE NOT EXISTS (SELECT 1 FROM scheme_scores WHERE scheme = '" + scheme
                    + "' AND metric LIKE 'violations.%')");
            }
            st.execute("UPDATE scheme_scores SET low = value, high = value WHERE low IS NULL");
        }
    }

    private static Path dir() throws Exception {
        if (dir == null) {
            dir = Files.createTempDirectory("ptorder-testdb");
            Path d = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (Stream<Path> s = Files.walk(d)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (Exception ignored) {
                    // temp files; the OS cleans up the rest
                }
            }));
        }
        return dir;
    }
}
