package org.ptorder.ingest.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Unplanted traces are free of violations by construction: the oracle (a conservative replay of
 * the ordering model) finds nothing in any system, workload or CPU count.
 */
class CleanTracesTest {
    @Test
    void everyWorkloadOnBothSystemsIsClean() {
        for (String system : List.of("netbsd", "linux")) {
            for (String workload : Workload.NAMES) {
                for (int cpus : new int[] {1, 2, 3, 4}) {
                    for (long seed = 1; seed <= 3; seed++) {
                        Sims.Out out = Sims.clean(system, cpus, 40_000, workload, seed);
                        TraceOracle o = TraceOracle.check(out.pmt());
                        String where = system + " " + workload + " cpus=" + cpus + " seed=" + seed;
                        assertTrue(o.findings.isEmpty(), () -> where + ": " + o.findings.subList(0,
                            Math.min(10, o.findings.size())));
                        assertTrue(out.result().stats().events() >= 40_000, where);
                    }
                }
            }
        }
    }

    @Test
    void manyCpusAreClean() {
        for (String system : List.of("netbsd", "linux")) {
            for (int cpus : new int[] {16, 64}) {
                Sims.Out out = Sims.clean(system, cpus, 60_000, "mixed", 2);
                TraceOracle o = TraceOracle.check(out.pmt());
                assertTrue(o.findings.isEmpty(), () -> system + " cpus=" + cpus + ": " + o.findings);
            }
        }
    }

    @Test
    void noEventIsLeftHalfDone() {
        // The trace stops at an operation boundary: every lock taken is released.
        Sims.Out out = Sims.clean("linux", 2, 10_000, "mixed", 5);
        long locks = out.result().stats().count(org.ptorder.ingest.mmu.Op.LOCK);
        long unlocks = out.result().stats().count(org.ptorder.ingest.mmu.Op.UNLOCK);
        assertEquals(locks, unlocks);
    }
}
