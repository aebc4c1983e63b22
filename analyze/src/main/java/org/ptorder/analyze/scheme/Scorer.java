package org.ptorder.analyze.scheme;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import org.ptorder.analyze.check.CheckOptions;
import org.ptorder.analyze.check.CheckResult;
import org.ptorder.analyze.check.Checker;
import org.ptorder.analyze.check.TraceFacts;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * Scores one trace in a single pass: every op goes to one replay per scheme, each feeding its own
 * checker in memory, and to cost-only replays for the other parameter sets (sweep points, the
 * calibrated costs). The checker runs once per scheme: in this replay the order of
 * synchronisation is the recorded one, so what a scheme prevents does not depend on the cost
 * parameters, only what it costs does.
 *
 * <p>The replays are independent, so they run in {@link ReplayLane}s: ops are buffered into
 * batches and each replay runs over a whole batch at a time (its state can stay in cache), and with
 * more than one thread each lane, a fixed subset of the replays, runs on its own thread. Every
 * replay still sees every op in recorded order, so the results are those of feeding the replays
 * one op at a time, whatever the thread count. Close the scorer (try-with-resources) so that its
 * threads stop when reading fails.
 */
public final class Scorer implements AutoCloseable {
    /** One scheme's result at the first parameter set: findings and costs. */
    public record SchemeResult(Scheme scheme, CheckResult check, CostVector cost) { }

    /**
     * @param checked the checked parameter set's results, in scheme order
     * @param others  the costs of every other parameter set, by name, in scheme order
     */
    public record Scores(List<SchemeResult> checked, LinkedHashMap<String, List<CostVector>> others) { }

    private final List<Scheme> schemes;
    private final List<String> setNames;
    private final List<ReplayLane.Unit[]> units = new ArrayList<>(); // per param set, per scheme
    private final List<ReplayLane> lanes = new ArrayList<>();
    private long ops;

    /**
     * @param sets    parameter sets by name; the first is the one checked (its replays feed checkers)
     * @param threads threads to replay on ({@link #defaultThreads()}; at most one per replay); 1
     *                replays on the caller's thread
     */
    public Scorer(List<Scheme> schemes, LinkedHashMap<String, ScoreParams> sets, TraceFacts facts,
                  CheckOptions opts, boolean check, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.schemes = schemes;
        this.setNames = new ArrayList<>(sets.keySet());
        boolean first = true;
        for (ScoreParams p : sets.values()) {
            ReplayLane.Unit[] row = new ReplayLane.Unit[schemes.size()];
            for (int i = 0; i < schemes.size(); i++) {
                Scheme s = schemes.get(i);
                Checker ch = first && check ? new Checker(opts, replayFacts(facts, s), 0) : null;
                row[i] = new ReplayLane.Unit(s, new Replay(s, p, opts.linuxLazy(), facts.cpus(),
                    ch == null ? null : ch::accept), ch);
            }
            units.add(row);
            first = false;
        }
        List<List<ReplayLane.Unit>> split = split(Math.min(threads, schemes.size() * sets.size()));
        for (int k = 0; k < split.size(); k++) {
            lanes.add(new ReplayLane(split.get(k), split.size() == 1 ? null : "ptorder-score-" + k));
        }
    }

    /** The default thread count: the processors available to the JVM. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Deals the replays to {@code n} lanes, heaviest first to the least loaded, by an estimate of
     * their cost per op (the slowest lane sets the wall time).
     */
    private List<List<ReplayLane.Unit>> split(int n) {
        List<List<ReplayLane.Unit>> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(new ArrayList<>());
        }
        List<ReplayLane.Unit> all = new ArrayList<>();
        for (ReplayLane.Unit[] row : units) {
            all.addAll(Arrays.asList(row));
        }
        all.sort(Comparator.comparingDouble(Scorer::weight).reversed());
        double[] load = new double[n];
        for (ReplayLane.Unit u : all) {
            int least = 0;
            for (int k = 1; k < n; k++) {
                if (load[k] < load[least]) {
                    least = k;
                }
            }
            out.get(least).add(u);
            load[least] += weight(u);
        }
        return out;
    }

    /**
     * A checked replay costs about a checker pass, more for the schemes that add many ops (Sa's IPI
     * rounds, Sa' and Sb's publication); a cost-only replay about a tenth of one (measured on the
     * synthetic trace of bench check and a simulated NetBSD guest; it varies with the trace).
     */
    private static double weight(ReplayLane.Unit u) {
        double w = switch (u.scheme) {
            case SA -> 1.5;
            case SA_PRIME -> 1.3;
            case SB -> 1.2;
            default -> 1;
        };
        return u.checker == null ? w / 10 : w;
    }

    /**
     * What the checker must know up front about the replayed stream: the trace's ops plus the
     * scheme's own. A trace without synchronisation of its own (ftrace: the kernel's locks are not
     * traced) stays one: the scheme's locks and IPIs would otherwise make the checker take the
     * missing kernel edges for real races (V2-unsync everywhere); cross-CPU classes stay undecided.
     */
    static TraceFacts replayFacts(TraceFacts src, Scheme s) {
        TraceFacts f = new TraceFacts();
        for (Op op : Op.values()) {
            f.add(op, src.count(op));
        }
        f.declareCpus(src.cpus());
        if (src.hasSync() && s != Scheme.S0 && s != Scheme.SN && s != Scheme.SSH) {
            for (Op op : new Op[] {Op.FLUSH, Op.LOCK, Op.UNLOCK, Op.IPI_SEND, Op.IPI_RECV, Op.IPI_ACK, Op.IPI_DONE,
                Op.CV_WAIT, Op.CV_WAKE, Op.CV_BROADCAST}) {
                f.add(op, 1);
            }
        }
        return f;
    }

    public void accept(MmuOp o) {
        ops++;
        for (ReplayLane l : lanes) {
            l.add(o);
        }
    }

    public long ops() {
        return ops;
    }

    /** Replays what is buffered, finishes every replay and checker, and returns the scores. */
    public Scores finish() {
        for (ReplayLane l : lanes) {
            l.finish();
        }
        List<SchemeResult> checked = new ArrayList<>();
        ReplayLane.Unit[] row = units.get(0);
        for (int i = 0; i < schemes.size(); i++) {
            checked.add(new SchemeResult(schemes.get(i), row[i].check, row[i].cost));
        }
        LinkedHashMap<String, List<CostVector>> others = new LinkedHashMap<>();
        for (int k = 1; k < units.size(); k++) {
            List<CostVector> l = new ArrayList<>();
            for (ReplayLane.Unit u : units.get(k)) {
                l.add(u.cost);
            }
            others.put(setNames.get(k), l);
        }
        return new Scores(checked, others);
    }

    /** CPU time of the scorer's own threads after {@link #finish}; 0 when it replays on the caller's thread. */
    public long threadsCpuNanos() {
        long sum = 0;
        for (ReplayLane l : lanes) {
            sum += l.cpuNanos();
        }
        return sum;
    }

    /** Stops the scorer's threads if they still run (a failed or abandoned pass); harmless after finish. */
    @Override
    public void close() {
        for (ReplayLane l : lanes) {
            l.close();
        }
    }
}
