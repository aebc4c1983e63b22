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
import org.ptorder.analyze.scheme.AllSchemes;
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
     * Makes sure {@code scheme_scores} has rows: scores the database as {@code ptorder analyze}
     * does (every scheme, the reference's default costs), unless it is scored already.
     */
    public static void ensureSchemeScores(Path db) throws Exception {
        try (Connection c = DuckStore.open(db, false); Statement st = c.createStatement();
             ResultSet r = st.executeQuery("SELECT count(*) FROM scheme_scores")) {
            r.next();
            if (r.getLong(1) > 0) {
                return;
            }
        }
        new AllSchemes().score(db, null);
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
