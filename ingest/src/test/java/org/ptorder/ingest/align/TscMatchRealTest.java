package org.ptorder.ingest.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.RealData;
import org.ptorder.ingest.common.Progress;
import org.ptorder.ingest.pipeline.Ingest;
import org.ptorder.ingest.store.DuckStore;

/**
 * run-b traced dom0 with ftrace's x86-tsc clock, the counter xentrace stamps its records with.
 * The true match rate of guest hypercalls to Xen hypercall records by TSC alone is 100%: every
 * one finds a record of the right op, with the same request count, almost always the very
 * next record of that vCPU. A control with the guest clock moved by 1 ms finds far fewer.
 */
class TscMatchRealTest {
    @TempDir
    Path dir;

    @Test
    void runBGuestHypercallsMatchXenRecordsByTsc() throws Exception {
        Path db = dir.resolve("b.duckdb");
        Ingest.run(List.of(RealData.run(RealData.RUN_B, "xen.trace"),
            RealData.run(RealData.RUN_B, "ftrace-kernel-trace.txt.gz")), db, new Ingest.Options(2_095_996_000L,
            Progress.NONE));
        try (Connection c = DuckStore.open(db, false)) {
            TscMatch.Result r = TscMatch.match(c, 0, 1, 0);
            System.out.println("run-b TSC match: " + r);
            long flushes;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM mmu_ops WHERE file_id = 1 AND op = 'flush'")) {
                rs.next();
                flushes = rs.getLong(1);
            }
            assertEquals(flushes, r.guestCalls(), "every guest flush op is one hypercall (no batch was split)");
            assertEquals(r.guestCalls(), r.matched(), "true match rate 100%");
            assertEquals(r.matched(), r.countAgrees());
            assertTrue(r.immediate() > 0.999 * r.matched(), "immediate: " + r.immediate());
            assertTrue(r.medianGap() > 0 && r.medianGap() < 20_000, "median gap " + r.medianGap());
            TscMatch.Result off = TscMatch.match(c, 0, 1, 0, 2_096_000); // guest clock 1 ms late
            System.out.println("control, +1 ms: " + off);
            assertTrue(off.matchRate() < 0.5, "control: " + off);
        }
    }
}
