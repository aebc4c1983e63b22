package org.ptorder.ingest.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.store.DuckStore;
import org.ptorder.ingest.xentrace.Hypercalls;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.TraceFile;
import org.ptorder.ingest.xentrace.XenEvents;
import org.ptorder.ingest.xentrace.XenRecord;

/**
 * The xentrace side holds exactly the hypercalls the guest side issued (read back with ptorder's own
 * xentrace reader and decoder), and both files of a run load together into one database, so the
 * two-source timeline can be tested end to end.
 */
class XentraceOutputTest {
    @TempDir
    Path dir;

    private static SimConfig cfg(String system) {
        Map<InjectionKind, Double> m = new EnumMap<>(InjectionKind.class);
        for (InjectionKind k : InjectionKind.values()) {
            m.put(k, 0.002);
        }
        return new SimConfig(system, 3, 120_000, 0, "mixed", 11, m);
    }

    @Test
    void hypercallRecordsAreTheGuestsIssues() throws Exception {
        for (String system : List.of("netbsd", "linux")) {
            Sims.Out out = Sims.run(cfg(system), true, false);
            Path xen = Files.write(dir.resolve(system + ".xen"), out.xentrace());
            SimStats st = out.result().stats();
            long v2 = 0;
            long multicalls = 0;
            long ptwr = 0;
            long faults = 0;
            long[] sizes = new long[64];
            long[] lastTsc = new long[3];
            Hypercalls.Call call = new Hypercalls.Call();
            WarningList w = new WarningList();
            try (RecordCursor cur = RecordCursor.open(TraceFile.open(xen), w)) {
                while (cur.next()) {
                    XenRecord r = cur.record();
                    assertTrue(r.tsc() >= lastTsc[r.cpu()], "TSC goes back on pCPU " + r.cpu());
                    lastTsc[r.cpu()] = r.tsc();
                    int ev = r.event();
                    if (ev == XenEvents.PV_HYPERCALL_V2 || ev == XenEvents.PV_HYPERCALL_SUBCALL) {
                        Hypercalls.decode(r, call);
                        if (ev == XenEvents.PV_HYPERCALL_V2) {
                            v2++;
                            if (call.op == Hypercalls.MULTICALL) {
                                multicalls++;
                            }
                        }
                        if (call.op == Hypercalls.MMU_UPDATE) {
                            sizes[(int) Math.min(call.count(), 63)]++;
                        }
                    } else if (ev == (XenEvents.PV_PTWR_EMULATION | XenEvents.TRC_64_FLAG)) {
                        ptwr++;
                    } else if (ev == (XenEvents.PV_PAGE_FAULT | XenEvents.TRC_64_FLAG)) {
                        faults++;
                    }
                }
            }
            assertTrue(w.isEmpty(), () -> system + ": " + w.rows());
            assertEquals(st.hypercalls(), v2, system + " hypercalls");
            assertEquals(st.multicalls(), multicalls, system + " multicalls");
            assertEquals(st.ptwrEmulations(), ptwr, system + " ptwr");
            assertEquals(st.pageFaults(), faults, system + " page faults");
            for (int i = 0; i < 64; i++) {
                assertEquals(st.mmuUpdateCalls(i), sizes[i], system + " mmu_update calls of " + i);
            }
            assertTrue(v2 > 1000, system + ": " + v2);
            if (system.equals("linux")) {
                assertTrue(multicalls > 0 && ptwr > 0);
            } else {
                assertEquals(0, multicalls);
            }
        }
    }

    @Test
    void bothFilesOfARunLoadTogether() throws Exception {
        Sims.Out out = Sims.run(cfg("linux"), true, false);
        Path pmt = Files.write(dir.resolve("run.pmt"), out.pmt());
        Path xen = Files.write(dir.resolve("run.xen"), out.xentrace());
        Path db = dir.resolve("run.duckdb");
        Ingest.run(List.of(pmt, xen), db, new Ingest.Options(Simulator.CPU_HZ, org.ptorder.ingest.common.Progress.NONE));
        try (Connection c = DuckStore.open(db, true); Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT count(*) FROM mmu_ops");
            rs.next();
            assertEquals(out.result().stats().events(), rs.getLong(1));
            rs = s.executeQuery("SELECT count(*) FROM hypercalls WHERE NOT is_subcall AND op IN (1, 13, 14, 26)");
            rs.next();
            assertEquals(out.result().stats().hypercalls(), rs.getLong(1));
            rs = s.executeQuery("SELECT count(DISTINCT dom) FROM hypercalls");
            rs.next();
            assertEquals(1, rs.getLong(1));
            // the two timelines cover the same stretch: last hypercall time within the .pmt's time span
            rs = s.executeQuery("SELECT (SELECT max(ts) FROM hypercalls), (SELECT max(ts) FROM mmu_ops)");
            rs.next();
            assertTrue(rs.getLong(1) <= rs.getLong(2) + 10_000_000L, rs.getLong(1) + " vs " + rs.getLong(2));
        }
    }
}
