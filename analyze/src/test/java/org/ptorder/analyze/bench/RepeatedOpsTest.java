package org.ptorder.analyze.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckResult;
import org.ptorder.analyze.check.Checker;
import org.ptorder.analyze.check.TraceFacts;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.testdata.TestDatabases;

/** The benchmark's long real-derived trace: run-b's ops back to back are a valid, finding-free trace. */
class RepeatedOpsTest {
    @Test
    void runBRepeatedIsOneLongerCorrectTrace() throws Exception {
        Path db = TestDatabases.runB();
        assumeTrue(db != null, "real data missing");
        RepeatedOps.Recorded rec = RepeatedOps.Recorded.load(db);
        List<MmuOp> ops = rec.ops();
        TraceFacts facts = rec.facts();
        assertEquals(3, RepeatedOps.timesFor(ops, 2L * ops.size() + 1));
        RepeatedOps rep = new RepeatedOps(ops, 3);
        Checker ch = new Checker(CheckOptions.defaults(), facts, 0);
        long n = 0;
        long lastSeq = -1;
        long lastTs = Long.MIN_VALUE;
        while (rep.next()) {
            MmuOp o = rep.op();
            assertTrue(o.seq > lastSeq, "seq increases across copies");
            if (MmuOp.has(o.ts)) {
                assertTrue(o.ts >= lastTs, "time does not go back across copies");
                lastTs = o.ts;
            }
            lastSeq = o.seq;
            ch.accept(o);
            n++;
        }
        assertFalse(rep.next(), "stays ended");
        assertEquals(3L * ops.size(), n);
        CheckResult r = ch.finish();
        assertEquals(List.of(), r.findings(), "a correct kernel's trace twice more is still correct");
    }
}
