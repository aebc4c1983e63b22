package org.ptorder.ingest.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acceptance property of issue 5, with the test oracle standing in for the checker until
 * {@code ptorder check} exists: over many seeds x every injection kind x both systems, the findings
 * are exactly the planted bugs (precision and recall 1.0 against the truth), and a trace with no
 * injection has no finding at all. The seed count is {@code -Dptorder.sim.seeds=N} (default 40, so
 * that {@code mvn test} stays quick; README-simulate.md reports the 1000-seed run).
 */
class OracleAgreementPropertyTest {
    static final int SEEDS = Integer.getInteger("ptorder.sim.seeds", 40);

    @Test
    void plantedBugsAreExactlyWhatIsFound() {
        int runs = 0;
        int planted = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            for (String system : List.of("netbsd", "linux")) {
                int cpus = 2 + (int) (seed % 3);
                String workload = Workload.NAMES.get((int) (seed % Workload.NAMES.size()));
                for (InjectionKind kind : InjectionKind.values()) {
                    SimConfig cfg = Sims.injecting(system, cpus, 4_000, workload, seed * 7919 + kind.ordinal(), kind, 0.02);
                    planted += PlantedTruthTest.checkRun(Sims.run(cfg, false, true),
                        system + " " + kind.text() + " cpus=" + cpus + " " + workload + " seed=" + seed);
                    runs++;
                }
                Sims.Out clean = Sims.clean(system, cpus, 4_000, workload, seed);
                TraceOracle o = TraceOracle.check(clean.pmt());
                long s = seed;
                assertTrue(o.findings.isEmpty(), () -> system + " clean seed=" + s + ": " + o.findings);
            }
        }
        assertTrue(planted >= runs, planted + " bugs planted in " + runs + " runs");
    }
}
