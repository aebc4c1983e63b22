package org.ptorder.analyze.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckResult;
import org.ptorder.analyze.check.PmtCheck;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.pmap.PmtReader;
import org.ptorder.ingest.sim.InjectionKind;
import org.ptorder.ingest.sim.SimConfig;
import org.ptorder.ingest.sim.Simulator;
import org.ptorder.ingest.sim.TruthFile;

/**
 * Issue 5's acceptance property, against the real checker: over {@code -Dptorder.sim.seeds=N}
 * seeds (default 1000) x every injection kind x both systems, the checker reports exactly the
 * planted violations (precision and recall 1.0 against the truth file), and on a trace with no
 * injection (one per seed and system) nothing beyond BENIGN-RACE.
 *
 * <p>Everything runs in memory: the simulator writes the .pmt and the truth JSON into byte arrays,
 * and {@link PmtCheck} reads the .pmt from them with the same reader and options as
 * {@code ptorder check FILE.pmt} (the .pmt's {@code system=} header selects Linux's lazy-batch
 * semantics; no lock map, no atomic groups). Traces are small (about {@link #EVENTS} events plus the
 * episodes) with a high planting rate, so each injected trace holds one or a few planted bugs.
 *
 * <p>Matching (README-simulate.md, "Truth file"): a finding matches a planted record when its
 * events (writer, reader, evidence) share one with the record's {@code events} and its class is the
 * record's {@code class}, one of its {@code alternatives} or one of its {@code also} classes.
 * Recall: every record has a finding with its class (or an alternative) and its label whose events
 * include one of the record's {@code key} events. Precision: every finding not labelled BENIGN-RACE
 * matches a record. A failure lists every disagreement, counted by kind and system, with one
 * example each.
 */
class CheckerAgreementPropertyTest {
    static final int SEEDS = Integer.getInteger("ptorder.sim.seeds", 1000);
    static final long EVENTS = Long.getLong("ptorder.sim.events", 300);
    static final double RATE = 0.05;
    static final List<String> WORKLOADS = List.of("fork-exec", "munmap-storm", "mprotect", "mixed");

    record Found(String cls, String label, List<Long> events) { }

    /** One simulated trace and its truth, all in memory. */
    record Sim(byte[] pmt, TruthFile truth) { }

    static Sim simulate(SimConfig cfg) {
        ByteArrayOutputStream pmt = new ByteArrayOutputStream(1 << 16);
        ByteArrayOutputStream truth = new ByteArrayOutputStream(1 << 12);
        try {
            Simulator.run(cfg, pmt, null, truth);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Sim(pmt.toByteArray(), TruthFile.parse(truth.toString(StandardCharsets.UTF_8)));
    }

    /** The checker on a .pmt in memory, as {@code ptorder check} runs it on the file. */
    static List<Found> check(byte[] pmt) {
        Path name = Path.of("simulated.pmt");
        CheckResult res = PmtCheck.check(() -> new PmtReader(name, new ByteArrayInputStream(pmt), 0, new WarningList()),
            CheckOptions.defaults(), null, 0);
        List<Found> out = new ArrayList<>();
        for (var f : res.findings()) {
            List<Long> ev = new ArrayList<>();
            for (var r : new org.ptorder.analyze.check.EventRef[] {f.writer(), f.reader(), f.evidence()}) {
                if (r != null) {
                    ev.add(r.seq());
                }
            }
            out.add(new Found(f.cls().text(), f.label().text(), ev));
        }
        return out;
    }

    @Test
    void checkerReportsExactlyThePlantedViolations() throws Exception {
        long t0 = System.nanoTime();
        // seeds run on every core (CI has two); each seed's tally is merged in seed order, so the
        // outcome and the failure message do not depend on the scheduling
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Tally all = new Tally();
        try {
            List<Future<Tally>> seeds = new ArrayList<>();
            for (long seed = 1; seed <= SEEDS; seed++) {
                long sd = seed;
                seeds.add(pool.submit(() -> runSeed(sd)));
            }
            for (Future<Tally> f : seeds) {
                all.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("CheckerAgreementPropertyTest: %d seeds, %d traces, %d events, %d planted bugs, "
            + "%d disagreements, %.1f s on %d threads (%.1f s CPU, load average %.1f)%n", SEEDS, all.traces,
            all.events, all.planted, all.bad.total, (System.nanoTime() - t0) / 1e9, threads, all.cpuNs / 1e9,
            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (all.bad.total > 0) {
            fail(all.bad.table());
        }
        for (InjectionKind kind : InjectionKind.values()) {
            for (String system : List.of("netbsd", "linux")) {
                int n = all.plantedBy.getOrDefault(kind.text() + " " + system, 0);
                assertTrue(n >= SEEDS, kind.text() + " " + system + ": only " + n + " planted in " + SEEDS + " seeds");
            }
        }
    }

    /** One seed: every kind on both systems (2-4 vCPUs and the workload by seed), and a clean trace each. */
    static Tally runSeed(long seed) {
        long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        Tally t = new Tally();
        int cpus = 2 + (int) (seed % 3);
        String workload = WORKLOADS.get((int) (seed % WORKLOADS.size()));
        for (String system : List.of("netbsd", "linux")) {
            for (InjectionKind kind : InjectionKind.values()) {
                Map<InjectionKind, Double> m = new EnumMap<>(InjectionKind.class);
                m.put(kind, RATE);
                SimConfig cfg = new SimConfig(system, cpus, EVENTS, 0, workload, seed * 7919 + kind.ordinal(), m);
                Sim sim = simulate(cfg);
                t.count(sim);
                t.plantedBy.merge(kind.text() + " " + system, sim.truth().planted.size(), Integer::sum);
                agree(check(sim.pmt()), sim.truth(), t.bad, kind.text() + " " + system,
                    "cpus=" + cpus + " " + workload + " seed=" + cfg.seed());
            }
            Sim clean = simulate(SimConfig.clean(system, cpus, EVENTS, workload, seed));
            t.count(clean);
            agree(check(clean.pmt()), clean.truth(), t.bad, "(none) " + system,
                "cpus=" + cpus + " " + workload + " seed=" + seed);
        }
        t.cpuNs = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0;
        return t;
    }

    /** What some seeds gave. */
    static final class Tally {
        final Disagreements bad = new Disagreements();
        final Map<String, Integer> plantedBy = new TreeMap<>();
        int planted;
        int traces;
        long events;
        long cpuNs;

        void count(Sim sim) {
            traces++;
            planted += sim.truth().planted.size();
            events += ((Number) ((Map<?, ?>) sim.truth().header.get("summary")).get("events")).longValue();
        }

        void add(Tally o) {
            bad.add(o.bad);
            o.plantedBy.forEach((k, v) -> plantedBy.merge(k, v, Integer::sum));
            planted += o.planted;
            traces += o.traces;
            events += o.events;
            cpuNs += o.cpuNs;
        }
    }

    /** The matching itself: a perfect checker passes, a flawed one fails. */
    @Test
    void theMatchingAcceptsAPerfectCheckerAndNothingElse() {
        Map<InjectionKind, Double> all = new EnumMap<>(InjectionKind.class);
        for (InjectionKind k : InjectionKind.values()) {
            all.put(k, 0.005);
        }
        TruthFile truth = simulate(new SimConfig("linux", 3, 30_000, 0, "mixed", 5, all)).truth();
        assertTrue(truth.planted.size() > 8);
        List<Found> perfect = new ArrayList<>();
        for (TruthFile.Record r : truth.planted) {
            perfect.add(new Found(r.cls(), r.label(), List.of(r.key().get(0))));
            if (!r.also().isEmpty()) {
                perfect.add(new Found(r.also().get(0), "LATENT", r.events()));
            }
        }
        perfect.add(new Found("V1", "BENIGN-RACE", List.of(0L)));
        assertAgree(perfect, truth, true);
        List<Found> missing = new ArrayList<>(perfect);
        missing.remove(0);
        assertAgree(missing, truth, false);
        List<Found> extra = new ArrayList<>(perfect);
        extra.add(new Found("V2", "LATENT", List.of(0L)));
        assertAgree(extra, truth, false);
        List<Found> twice = new ArrayList<>(perfect);
        twice.add(perfect.get(0));
        assertAgree(twice, truth, false);
        List<Found> wrongLabel = new ArrayList<>(perfect);
        Found f0 = wrongLabel.get(0);
        wrongLabel.set(0, new Found(f0.cls(), f0.label().equals("LATENT") ? "OBSERVED" : "LATENT", f0.events()));
        assertAgree(wrongLabel, truth, false);
    }

    private static void assertAgree(List<Found> found, TruthFile truth, boolean expected) {
        Disagreements d = new Disagreements();
        agree(found, truth, d, "x", "x");
        if ((d.total == 0) != expected) {
            fail(expected ? "a perfect checker output was rejected:\n" + d.table()
                : "a flawed checker output was accepted");
        }
    }

    /** Disagreements counted by (kind and system, what went wrong), with the first example of each. */
    static final class Disagreements {
        final Map<String, Integer> count = new TreeMap<>();
        final Map<String, String> example = new TreeMap<>();
        int total;

        void add(String where, String what, String example) {
            String k = where + " | " + what;
            count.merge(k, 1, Integer::sum);
            this.example.putIfAbsent(k, example);
            total++;
        }

        void add(Disagreements o) {
            o.count.forEach((k, n) -> count.merge(k, n, Integer::sum));
            o.example.forEach(example::putIfAbsent);
            total += o.total;
        }

        String table() {
            StringBuilder sb = new StringBuilder(total + " disagreements (kind system | what: count; first example)\n");
            count.forEach((k, n) -> sb.append("  ").append(k).append(": ").append(n).append("; ")
                .append(example.get(k)).append('\n'));
            return sb.toString();
        }
    }

    static void agree(List<Found> found, TruthFile truth, Disagreements bad, String where, String run) {
        for (Found f : found) {
            if (f.label().equals("BENIGN-RACE")) {
                continue;
            }
            boolean ok = false;
            for (TruthFile.Record r : truth.planted) {
                if (r.tolerates(f.cls()) && f.events().stream().anyMatch(r.events()::contains)) {
                    ok = true;
                    break;
                }
            }
            if (!ok) {
                bad.add(where, "false positive " + f.cls() + " " + f.label(), run + ": " + f);
            }
        }
        for (TruthFile.Record r : truth.planted) {
            boolean ok = false;
            int count = 0;
            for (Found f : found) {
                if (r.accepts(f.cls()) && f.events().stream().anyMatch(r.key()::contains)) {
                    count++;
                    ok |= f.label().equals(r.label());
                }
            }
            if (!ok) {
                bad.add(where, "missed " + r.cls() + " " + r.label() + " (" + r.variant() + ")",
                    run + ": " + r + " found " + found);
            } else if (count > 1) {
                // one planted bug, one finding of its class: both sides count the same way
                bad.add(where, count + " findings of " + r.cls() + " for one bug (" + r.variant() + ")",
                    run + ": " + r + " found " + found);
            }
        }
    }
}
