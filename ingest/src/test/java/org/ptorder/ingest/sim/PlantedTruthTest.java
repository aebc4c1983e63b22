package org.ptorder.ingest.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.pmap.PmtReader;

/**
 * The truth file tells the truth, checked without the product's checker: every planted record
 * names events that exist and are the ops its roles say; and the test oracle (an independent replay
 * of the ordering model) finds, in a trace with one injection kind, exactly the planted bugs: each
 * record is found with its class (or an allowed alternative) and label on its key events
 * (recall 1.0), and every finding belongs to a record, with the record's class, alternatives or
 * "also" classes (precision 1.0). That is the same agreement the checker must reach
 * (analyze/.../sim/CheckerAgreementPropertyTest), here with an oracle that exists today.
 */
class PlantedTruthTest {
    private static final Map<String, Set<Op>> ROLE_OPS = Map.ofEntries(
        Map.entry("lock", Set.of(Op.LOCK)),
        Map.entry("reader_lock", Set.of(Op.LOCK)),
        Map.entry("remote_lock", Set.of(Op.LOCK)),
        Map.entry("unlock", Set.of(Op.UNLOCK)),
        Map.entry("reader_unlock", Set.of(Op.UNLOCK)),
        Map.entry("remote_unlock", Set.of(Op.UNLOCK)),
        Map.entry("enq", Set.of(Op.ENQ)),
        Map.entry("reader_flush", Set.of(Op.FLUSH)),
        Map.entry("late_flush", Set.of(Op.FLUSH)),
        Map.entry("believed_flush", Set.of(Op.FLUSH)),
        Map.entry("flush", Set.of(Op.FLUSH)),
        Map.entry("read_op", Set.of(Op.INVLPG)),
        Map.entry("shootdown", Set.of(Op.INVLPG_MULTI, Op.INVLPG_ALL, Op.TLB_FLUSH_MULTI)),
        Map.entry("local_flush", Set.of(Op.TLB_FLUSH)),
        Map.entry("unmap", Set.of(Op.RMW)),
        Map.entry("unlink", Set.of(Op.RMW, Op.FLUSH)),
        Map.entry("free", Set.of(Op.FRAME_FREE)),
        Map.entry("free_table", Set.of(Op.FRAME_FREE)),
        Map.entry("unpin", Set.of(Op.UNPIN)),
        Map.entry("rmw", Set.of(Op.RMW)),
        Map.entry("read", Set.of(Op.OOB_READ)),
        Map.entry("migrate", Set.of(Op.MIGRATE)));

    static List<MmuOp> ops(byte[] pmt) {
        List<MmuOp> out = new ArrayList<>();
        try (PmtReader r = new PmtReader(Path.of("sim.pmt"), new ByteArrayInputStream(pmt), 0, WarningSink.IGNORE)) {
            while (r.next()) {
                out.add(r.op().copy());
            }
        }
        return out;
    }

    /** Checks one run; returns how many records it had. */
    static int checkRun(Sims.Out out, String where) {
        TruthFile truth = TruthFile.parse(new String(out.truth(), StandardCharsets.UTF_8));
        List<MmuOp> ops = ops(out.pmt());
        for (TruthFile.Record r : truth.planted) {
            String at = where + " record " + r.id() + " (" + r.kind() + "/" + r.variant() + ")";
            assertFalse(r.events().isEmpty(), at);
            assertFalse(r.key().isEmpty(), at);
            assertTrue(r.events().containsAll(r.key()), at);
            for (Map.Entry<String, Long> role : r.roles().entrySet()) {
                long seq = role.getValue();
                assertTrue(seq >= 0 && seq < ops.size(), at + ": " + role + " is not an event of the trace");
                MmuOp o = ops.get((int) seq);
                assertEquals(seq, o.seq, at);
                Set<Op> want = ROLE_OPS.get(role.getKey());
                assertNotNull(want, at + ": unknown role " + role.getKey());
                assertTrue(want.contains(o.op), at + ": role " + role.getKey() + " is " + o);
            }
            // the episode's events are in trace order as their roles say
            List<Long> inRoleOrder = new ArrayList<>(r.roles().values());
            List<Long> sorted = new ArrayList<>(inRoleOrder);
            sorted.sort(null);
            assertEquals(sorted, inRoleOrder, at + ": roles out of order");
        }
        TraceOracle o = TraceOracle.check(out.pmt());
        // precision: every finding is explained by a record
        for (TraceOracle.Finding f : o.findings) {
            boolean ok = false;
            for (TruthFile.Record r : truth.planted) {
                if (r.tolerates(f.cls()) && shares(f.events(), r.events())) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                fail(where + ": finding " + f + " matches no planted record");
            }
        }
        // recall: every record is found with its class and label on a key event
        for (TruthFile.Record r : truth.planted) {
            boolean found = false;
            for (TraceOracle.Finding f : o.findings) {
                if (r.accepts(f.cls()) && f.label().equals(r.label()) && shares(f.events(), r.key())) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                fail(where + ": record " + r + " not found; findings near it: " + near(o, r));
            }
        }
        return truth.planted.size();
    }

    private static boolean shares(long[] a, List<Long> b) {
        for (long x : a) {
            if (b.contains(x)) {
                return true;
            }
        }
        return false;
    }

    private static List<TraceOracle.Finding> near(TraceOracle o, TruthFile.Record r) {
        List<TraceOracle.Finding> out = new ArrayList<>();
        for (TraceOracle.Finding f : o.findings) {
            if (shares(f.events(), r.events())) {
                out.add(f);
            }
        }
        return out;
    }

    @Test
    void everyKindOnBothSystemsIsFoundExactly() {
        for (String system : List.of("netbsd", "linux")) {
            for (InjectionKind kind : InjectionKind.values()) {
                int total = 0;
                for (int cpus = 2; cpus <= 4; cpus++) {
                    for (long seed = 1; seed <= 4; seed++) {
                        String workload = Workload.NAMES.get((int) ((seed + cpus) % Workload.NAMES.size()));
                        SimConfig cfg = Sims.injecting(system, cpus, 15_000, workload, seed, kind, 0.01);
                        String where = system + " " + kind.text() + " cpus=" + cpus + " " + workload + " seed=" + seed;
                        total += checkRun(Sims.run(cfg, false, true), where);
                    }
                }
                assertTrue(total >= 12, system + " " + kind.text() + ": only " + total + " planted");
            }
        }
    }

    @Test
    void allKindsTogetherStillAddUp() {
        for (String system : List.of("netbsd", "linux")) {
            for (long seed = 1; seed <= 3; seed++) {
                java.util.EnumMap<InjectionKind, Double> all = new java.util.EnumMap<>(InjectionKind.class);
                for (InjectionKind k : InjectionKind.values()) {
                    all.put(k, 0.004);
                }
                SimConfig cfg = new SimConfig(system, 3, 30_000, 0, "mixed", seed, all);
                Sims.Out out = Sims.run(cfg, false, true);
                int n = checkRun(out, system + " all seed=" + seed);
                assertTrue(n >= 8, system + ": " + n);
                assertEquals(n, out.result().stats().planted());
            }
        }
    }

    @Test
    void manyCpus() {
        java.util.EnumMap<InjectionKind, Double> all = new java.util.EnumMap<>(InjectionKind.class);
        for (InjectionKind k : InjectionKind.values()) {
            all.put(k, 0.002);
        }
        for (String system : List.of("netbsd", "linux")) {
            Sims.Out out = Sims.run(new SimConfig(system, 64, 80_000, 0, "mixed", 3, all), false, true);
            assertTrue(checkRun(out, system + " 64 cpus") >= 8);
        }
    }

    @Test
    void oneCpuPlantsOnlyWhatOneCpuCanShow() {
        java.util.EnumMap<InjectionKind, Double> all = new java.util.EnumMap<>(InjectionKind.class);
        for (InjectionKind k : InjectionKind.values()) {
            all.put(k, 0.01);
        }
        for (String system : List.of("netbsd", "linux")) {
            Sims.Out out = Sims.run(new SimConfig(system, 1, 20_000, 0, "mixed", 7, all), false, true);
            checkRun(out, system + " 1 cpu");
            for (InjectionKind k : out.result().planted().keySet()) {
                assertEquals(1, k.minCpus(), k.text());
            }
            assertFalse(out.result().planted().isEmpty());
        }
    }
}
