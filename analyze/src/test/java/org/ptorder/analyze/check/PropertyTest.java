package org.ptorder.analyze.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.pmap.PmtWriter;

/**
 * The fast checker and the brute-force reference ({@link BruteForce}) must agree finding for
 * finding (class, label, writer, reader, coverage) on thousands of random small traces
 * ({@link TraceGen}, fixed seeds). A disagreement prints the trace as a .pmt file and both lists.
 */
class PropertyTest {
    static final int TRACES = Integer.getInteger("ptorder.property.traces", 20000);
    static final long LEAVES = 400_000;

    static List<BruteForce.Key> fast(TraceGen.Trace t) {
        TraceFacts facts = new TraceFacts();
        for (MmuOp o : t.ops()) {
            facts.add(o);
        }
        facts.declareCpus(t.cpus());
        Checker c = new Checker(t.opt(), facts);
        c.gcThreshold(0); // collect at every flush: the pruning of applied entries must never change a finding
        for (MmuOp o : t.ops()) {
            c.accept(o.copy());
        }
        CheckResult r = c.finish();
        List<BruteForce.Key> out = new ArrayList<>();
        for (Finding f : r.findings()) {
            out.add(BruteForce.Key.of(f));
        }
        out.sort(null);
        return out;
    }

    static boolean capped(TraceGen.Trace t) {
        TraceFacts facts = new TraceFacts();
        t.ops().forEach(facts::add);
        facts.declareCpus(t.cpus());
        Checker c = new Checker(t.opt(), facts);
        t.ops().forEach(o -> c.accept(o.copy()));
        return c.finish().undecided().stream().anyMatch(u -> u.reason().contains("history kept"));
    }

    static String pmt(TraceGen.Trace t) {
        StringWriter w = new StringWriter();
        PmtWriter pw = new PmtWriter(w, t.cpus(), t.opt().linuxLazy() ? "linux" : null);
        pw.comment("seed " + t.seed() + " options: " + t.opt().describe());
        for (MmuOp o : t.ops()) {
            try {
                pw.write(o);
            } catch (IllegalArgumentException notPmt) {
                pw.comment(o.toString() + "   (" + notPmt.getMessage() + ")");
            }
        }
        return w.toString();
    }

    @Test
    void fastCheckerAgreesWithBruteForceFindingForFinding() {
        int compared = 0;
        int skipped = 0;
        int withFindings = 0;
        Map<String, Integer> classes = new TreeMap<>();
        long t0 = System.nanoTime();
        for (long seed = 1; seed <= TRACES; seed++) {
            TraceGen.Trace t = TraceGen.generate(seed);
            List<BruteForce.Key> ref;
            try {
                ref = BruteForce.check(t.ops(), t.cpus(), t.opt(), LEAVES);
            } catch (BruteForce.TooBig e) {
                skipped++;
                continue;
            }
            List<BruteForce.Key> got = fast(t);
            if (!got.equals(ref) && capped(t)) {
                skipped++;
                continue;
            }
            if (!got.equals(ref)) {
                StringBuilder sb = new StringBuilder("seed " + seed + ": the checker and the brute force disagree\n");
                sb.append(pmt(t)).append("checker:\n");
                got.forEach(k -> sb.append("  ").append(k).append(ref.contains(k) ? "" : "   <- not in reference")
                    .append('\n'));
                sb.append("brute force:\n");
                ref.forEach(k -> sb.append("  ").append(k).append(got.contains(k) ? "" : "   <- missed by checker")
                    .append('\n'));
                assertEquals(ref.toString(), got.toString(), sb.toString());
            }
            compared++;
            if (!ref.isEmpty()) {
                withFindings++;
            }
            for (BruteForce.Key k : ref) {
                classes.merge(k.cls() + " " + k.label(), 1, Integer::sum);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("property: %d traces compared, %d skipped (too many linearizations), %d with findings,"
            + " %.1f s%n  %s%n", compared, skipped, withFindings, secs, classes);
        assertTrue(compared >= TRACES * 9 / 10, "too many traces skipped: " + skipped);
        assertTrue(withFindings >= TRACES / 5, "the generator should produce findings often: " + withFindings);
        for (String c : List.of("V1 OBSERVED", "V1 LATENT", "V2 LATENT", "V2-unsync LATENT", "V3 LATENT",
            "V4-local OBSERVED", "V4-remote LATENT", "V5-pending OBSERVED", "V6 LATENT", "V5-pwc LATENT")) {
            assertTrue(classes.containsKey(c), "the generator never produced " + c + ": " + classes);
        }
    }
}
