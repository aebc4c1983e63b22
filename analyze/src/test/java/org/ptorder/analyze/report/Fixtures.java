package org.ptorder.analyze.report;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckRun;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.sim.InjectionKind;
import org.ptorder.ingest.sim.SimConfig;
import org.ptorder.ingest.sim.Simulator;
import org.ptorder.ingest.store.DuckStore;

/** Real databases for the report and diff tests: a simulated guest with planted bugs, ingested and checked. */
public final class Fixtures {
    private Fixtures() { }

    /** A file name with every character HTML and Markdown care about: the report must escape it. */
    public static final String NASTY = "sim <script>alert(1)<\\script> & \"q\" 'a' |b| `c`";

    /** Simulates a 2-CPU guest, ingests it into {@code dir/name.duckdb} and checks it (results stored). */
    public static Path checkedDb(Path dir, String name, String system, long events, long seed, double rate) throws Exception {
        Path pmt = dir.resolve(NASTY + " " + name + ".pmt");
        Map<InjectionKind, Double> all = new EnumMap<>(InjectionKind.class);
        for (InjectionKind k : InjectionKind.values()) {
            all.put(k, rate);
        }
        try (OutputStream p = new BufferedOutputStream(Files.newOutputStream(pmt), 1 << 16)) {
            Simulator.run(new SimConfig(system, 2, events, 0, "mixed", seed, all), p, null, OutputStream.nullOutputStream());
        }
        Path db = dir.resolve(name + ".duckdb");
        Ingest.run(List.of(pmt), db, new Ingest.Options(0, Progress.NONE));
        CheckRun.run(db, CheckOptions.defaults(), null, true, -1);
        return db;
    }

    /** The scheme_scores contract of 'ptorder score' (long format), with a few rows through plain SQL. */
    public static void addScores(Path db) throws Exception {
        try (Connection c = DuckStore.open(db, true); Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TABLE scheme_scores (scheme VARCHAR, param_set VARCHAR, metric VARCHAR, value DOUBLE,"
                + " low DOUBLE, high DOUBLE, unit VARCHAR)");
            st.execute("INSERT INTO scheme_scores VALUES"
                + " ('S0', 'default', 'violations.V1', 12, NULL, NULL, 'findings'),"
                + " ('SN', 'default', 'violations.V1', 3, NULL, NULL, 'findings'),"
                + " ('Sa''', 'default', 'violations.V1', 0, NULL, NULL, 'findings'),"
                + " ('S0', 'default', 'hypercalls.mmu_update', 1000, 1000, 1000, 'calls'),"
                + " ('SN', 'default', 'hypercalls.mmu_update', 1200, 1100, 1350, 'calls'),"
                + " ('Sa''', 'default', 'hypercalls.mmu_update', 2500, 2000, 3100, 'calls'),"
                + " ('S0', 'default', 'initiator_wait_ns.p99', 0, 0, 0, 'ns'),"
                + " ('SN', 'default', 'initiator_wait_ns.p99', 5200.5, 4000, 7000, 'ns'),"
                + " ('Sa''', 'default', 'initiator_wait_ns.p99', 9100, 8000, 15000, 'ns'),"
                + " ('SN', 'sweep:ipi_ns=2000', 'initiator_wait_ns.p99', 6100, NULL, NULL, 'ns'),"
                + " ('<img src=x>', 'default', 'ipis_sent', 7, NULL, NULL, '<b>')");
        }
    }
}
