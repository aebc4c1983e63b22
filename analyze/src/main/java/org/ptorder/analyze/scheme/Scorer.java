package org.ptorder.analyze.scheme;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class Scorer {
    /** One scheme's result at the first parameter set: findings and costs. */
    public record SchemeResult(Scheme scheme, CheckResult check, CostVector cost) { }

    private final List<Scheme> schemes;
    private final List<String> setNames;
    private final Map<Scheme, Checker> checkers = new EnumMap<>(Scheme.class);
    private final List<Replay[]> replays = new ArrayList<>(); // per param set, per scheme
    private long ops;

    /**
     * @param sets parameter sets by name; the first is the one checked (its replays feed checkers)
     */
    public Scorer(List<Scheme> schemes, LinkedHashMap<String, ScoreParams> sets, TraceFacts facts,
                  CheckOptions opts, boolean check) {
        this.schemes = schemes;
        this.setNames = new ArrayList<>(sets.keySet());
        boolean first = true;
        for (ScoreParams p : sets.values()) {
            Replay[] row = new Replay[schemes.size()];
            for (int i = 0; i < schemes.size(); i++) {
                Scheme s = schemes.get(i);
                Checker ch = null;
                if (first && check) {
                    ch = new Checker(opts, replayFacts(facts, s), 0);
                    checkers.put(s, ch);
                }
                row[i] = new Replay(s, p, opts.linuxLazy(), facts.cpus(), ch == null ? null : ch::accept);
            }
            replays.add(row);
            first = false;
        }
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
        for (Replay[] row : replays) {
            for (Replay r : row) {
                r.accept(o);
            }
        }
    }

    public long ops() {
        return ops;
    }

    /** Results of the checked parameter set, in scheme order. */
    public List<SchemeResult> finishChecked() {
        List<SchemeResult> out = new ArrayList<>();
        Replay[] row = replays.get(0);
        for (int i = 0; i < schemes.size(); i++) {
            Scheme s = schemes.get(i);
            CostVector cv = row[i].finish();
            Checker ch = checkers.get(s);
            out.add(new SchemeResult(s, ch == null ? null : ch.finish(), cv));
        }
        return out;
    }

    /** Costs of every other parameter set, by name, in scheme order. */
    public LinkedHashMap<String, List<CostVector>> finishOthers() {
        LinkedHashMap<String, List<CostVector>> out = new LinkedHashMap<>();
        for (int k = 1; k < replays.size(); k++) {
            List<CostVector> l = new ArrayList<>();
            for (Replay r : replays.get(k)) {
                l.add(r.finish());
            }
            out.put(setNames.get(k), l);
        }
        return out;
    }
}
