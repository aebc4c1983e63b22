package org.ptorder.analyze.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.EventRef;
import org.ptorder.analyze.check.Finding;
import org.ptorder.analyze.check.PmtCheck;
import org.ptorder.analyze.check.Undecided;
import org.ptorder.cli.Main;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.pmap.PmtReader;

/**
 * The threaded scorer gives exactly what the single-thread one gives (every finding with its
 * evidence, in order; every cost, at every parameter set), on simulated guests with planted bugs;
 * a failure on a replay thread reaches the caller, and an interrupted reader stops.
 */
class ScorerThreadsTest {
    @TempDir
    static Path dir;

    static LinkedHashMap<String, ScoreParams> sets() {
        LinkedHashMap<String, ScoreParams> sets = new LinkedHashMap<>();
        sets.put("default", ScoreParams.defaults());
        sets.put("ipi_ns=30000", ScoreParams.defaults().with("ipi_ns", 30000));
        sets.put("nonempty", ScoreParams.defaults().with("sa.targets", "nonempty"));
        return sets;
    }

    @BeforeAll
    static void simulate() {
        for (String system : List.of("netbsd", "linux")) {
            assertEquals(0, Main.execute("simulate", "-o", dir.resolve(system + ".pmt").toString(), "--system", system,
                "--cpus", "4", "--ops", "60k", "--seed", "11", "--inject", "all:0.004"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"netbsd", "linux"})
    void threadsChangeNothing(String system) {
        Path trace = dir.resolve(system + ".pmt");
        String one = signature(score(trace, 1));
        assertTrue(one.contains(" V1 "), "the planted bugs are found (else the comparison proves little):\n" + one);
        for (int threads : new int[] {2, 5, 64}) {
            assertEquals(one, signature(score(trace, threads)), threads + " threads");
        }
    }

    @Test
    void aFailingReplayThreadReachesTheCaller() {
        Path trace = dir.resolve("netbsd.pmt");
        PmtCheck.Scan scan = PmtCheck.scan(trace);
        MmuOp broken = new MmuOp(); // no op kind: every replay fails on it
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (PmtReader r = PmtCheck.open(trace);
                 Scorer sc = new Scorer(Arrays.asList(Scheme.values()), sets(), scan.facts(), CheckOptions.defaults(),
                     true, 2)) {
                assertThrows(NullPointerException.class, () -> {
                    for (int i = 0; r.next(); i++) {
                        sc.accept(i == 1000 ? broken : r.op());
                    }
                    sc.finish();
                });
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            // failing in the last, partial batch: found at finish
            try (Scorer sc = new Scorer(Arrays.asList(Scheme.values()), sets(), scan.facts(), CheckOptions.defaults(),
                     true, 2)) {
                sc.accept(broken);
                assertThrows(NullPointerException.class, sc::finish);
            }
        });
    }

    @Test
    void anInterruptedReaderStopsAndTheThreadsEnd() throws Exception {
        Path trace = dir.resolve("netbsd.pmt");
        PmtCheck.Scan scan = PmtCheck.scan(trace);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (PmtReader r = PmtCheck.open(trace);
                 Scorer sc = new Scorer(Arrays.asList(Scheme.values()), sets(), scan.facts(), CheckOptions.defaults(),
                     true, 2)) {
                Thread.currentThread().interrupt();
                assertThrows(CancellationException.class, () -> {
                    while (r.next()) {
                        sc.accept(r.op());
                    }
                });
                assertTrue(Thread.interrupted(), "the interrupt stays set for the caller");
            }
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("ptorder-score-")) {
                    t.join();
                }
            }
        });
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("ptorder-score-")));
    }

    static Scorer.Scores score(Path trace, int threads) {
        PmtCheck.Scan scan = PmtCheck.scan(trace);
        boolean linux = "linux".equals(scan.header().system());
        try (PmtReader r = PmtCheck.open(trace);
             Scorer sc = new Scorer(Arrays.asList(Scheme.values()), sets(), scan.facts(),
                 CheckOptions.defaults().withLinuxLazy(linux), true, threads)) {
            while (r.next()) {
                sc.accept(r.op());
            }
            return sc.finish();
        }
    }

    /** Everything the scores say, as text: findings with their evidence in order, undecided classes, costs. */
    static String signature(Scorer.Scores s) {
        StringBuilder sb = new StringBuilder();
        for (Scorer.SchemeResult r : s.checked()) {
            sb.append(r.scheme().text()).append(": ops ").append(r.check().ops()).append(", cpus ")
                .append(r.check().cpus()).append(", peak state ").append(r.check().peakState()).append('\n');
            for (Finding f : r.check().findings()) {
                sb.append("  ").append(f.key()).append(' ').append(f.pte()).append(' ').append(f.va()).append(' ')
                    .append(f.oldValue()).append(' ').append(f.newValue()).append(' ').append(f.frame()).append(" w=")
                    .append(event(f.writer())).append(" r=").append(event(f.reader())).append(" e=")
                    .append(event(f.evidence())).append(' ').append(f.evidenceText()).append(" | ").append(f.hbPath())
                    .append(" | ").append(f.missing()).append(' ').append(f.missingSeq()).append(" | ")
                    .append(f.interleaving()).append(" | ").append(f.rootCause()).append(" | ").append(f.note())
                    .append('\n');
            }
            for (Undecided u : r.check().undecided()) {
                sb.append("  undecided ").append(u).append('\n');
            }
            sb.append("  costs ").append(r.cost().metrics()).append('\n');
        }
        s.others().forEach((set, costs) -> {
            for (int i = 0; i < costs.size(); i++) {
                sb.append(set).append(' ').append(s.checked().get(i).scheme().text()).append(": ")
                    .append(costs.get(i).metrics()).append('\n');
            }
        });
        return sb.toString();
    }

    private static String event(EventRef e) {
        return e == null ? "-" : e.seq() + "@" + e.cpu() + ":" + e.ts() + ":" + e.op();
    }
}
