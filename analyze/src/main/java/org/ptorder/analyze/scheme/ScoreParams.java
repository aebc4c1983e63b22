package org.ptorder.analyze.scheme;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptorder.ingest.common.CommentedLines;
import org.ptorder.ingest.common.TraceInputException;

/**
 * The cost parameters of ordering-model §5.1 and the schemes' knobs (§4.2), with their defaults,
 * units and, for the parameters the reference marks uncertain, the range to sweep. Immutable: a
 * sweep point or a calibration is a copy with some values changed.
 */
public final class ScoreParams {
    /** One parameter: numeric (with a unit) or a knob (a word from {@code choices}). */
    public record Def(String name, String value, String unit, boolean uncertain, double low, double high,
                      List<String> choices, String help) {
        public boolean numeric() {
            return choices == null;
        }
    }

    private static Def num(String name, double v, String unit, String help) {
        return new Def(name, fmt(v), unit, false, Double.NaN, Double.NaN, null, help);
    }

    private static Def unsure(String name, double v, String unit, double lo, double hi, String help) {
        return new Def(name, fmt(v), unit, true, lo, hi, null, help);
    }

    private static Def knob(String name, String v, List<String> choices, String help) {
        return new Def(name, v, null, false, Double.NaN, Double.NaN, choices, help);
    }

    /** Every parameter, in the order the default file lists them. */
    public static final List<Def> DEFS = List.of(
        unsure("hypercall_ns", 500, "ns", 200, 1000, "h: PV hypercall entry+exit, 64-bit PV (§5.1; --calibrate fits it)"),
        unsure("mmu_update_entry_ns", 100, "ns", 50, 500, "u: Xen's validation of one mmu_update entry (--calibrate fits it)"),
        unsure("multicall_entry_ns", 50, "ns", 20, 100, "dispatch of one multicall entry"),
        num("invlpg_ns", 140, "ns", "local invlpg (an op's time under S1's global lock)"),
        num("tlb_flush_ns", 150, "ns", "local full TLB flush, direct cost"),
        unsure("ipi_ns", 4000, "ns", 3000, 5000, "guest event-channel IPI round trip, target running: send -> handler"
            + " -> ack seen (a handler's queue flush comes on top)"),
        unsure("desched_fraction", 0, "fraction", 0, 0.05, "share of IPI deliveries that find the target vCPU"
            + " descheduled (every 1/f-th delivery, deterministically)"),
        num("desched_delay_ns", 30_000_000, "ns", "delay of such a delivery: the credit scheduler's 30 ms slice"),
        unsure("lock_ns", 35, "ns", 20, 50, "uncontended lock acquire + release"),
        unsure("line_transfer_ns", 200, "ns", 100, 300, "contended cache-line transfer (scoreboard, shared counter)"),
        unsure("cv_wake_ns", 5000, "ns", 2000, 10000, "condvar wake-up + context switch"),
        num("xpq_entries", 2048, "entries", "NetBSD queue capacity (S0, SN, S1, Sa, Sa', Sb)"),
        num("sl_batch_entries", 32, "entries", "Linux multicall batch capacity in mmu_update entries (SL)"),
        knob("s1.rmw_flush", "true", List.of("true", "false"), "S1: an RMW takes the global lock and flushes the"
            + " global queue before it reads (LT-6)"),
        knob("s1.oob_flush", "false", List.of("true", "false"), "S1: an out-of-band read does the same (LT-8)"),
        knob("sa.targets", "all", List.of("all", "nonempty"), "Sa: IPI every other CPU, or only CPUs with a"
            + " non-empty queue (a shared bitmap: one line update per first enqueue)"),
        knob("sa.page_ops", "true", List.of("true", "false"), "Sa, Sa', Sb: unpin and frame_free count as read-ops"
            + " (V5-pending)"),
        knob("sa_prime.granularity", "table", List.of("pte", "table", "va"), "Sa' and Sb scoreboard granularity:"
            + " PTE, page-table page, or 2 MiB VA bucket"),
        num("sa_prime.max_tracked", 64, "entries", "Sa': pending entries a CPU tracks before it marks itself dirty-all"),
        num("sb.timeout_ns", 50_000, "ns", "Sb: tau, how long a read-op waits before it nudges the holders"),
        knob("sb.nudge", "true", List.of("true", "false"), "Sb: after tau, IPI the holders to flush (without: give up"
            + " waiting, the read proceeds)"),
        knob("sb.scope", "overlap", List.of("overlap", "global"), "Sb: wait for overlapping pending writes, or for any"),
        knob("sb.oob_wait", "true", List.of("true", "false"), "Sb: out-of-band reads wait too (LT-8)"),
        knob("sb.rmw_wait", "true", List.of("true", "false"), "Sb: RMWs wait too (LT-6)"),
        knob("sl.lazy", "auto", List.of("auto", "always"), "SL: updates are batched inside lazy sections (the"
            + " trace's lazy_enter..lazy_leave, or while a lock is held) and issued at once outside; 'always'"
            + " batches every update (LT-7 'inside lazy mode')"));

    private final Map<String, String> values;

    private ScoreParams(Map<String, String> values) {
        this.values = values;
    }

    public static ScoreParams defaults() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Def d : DEFS) {
            m.put(d.name(), d.value());
        }
        return new ScoreParams(m);
    }

    public static Def def(String name) {
        for (Def d : DEFS) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    public double num(String name) {
        return Double.parseDouble(values.get(name));
    }

    public String knob(String name) {
        return values.get(name);
    }

    public boolean on(String name) {
        return "true".equals(values.get(name));
    }

    /** A copy with {@code name} set; the value is checked against the parameter's kind. */
    public ScoreParams with(String name, String value) {
        Def d = def(name);
        if (d == null) {
            throw new IllegalArgumentException("unknown parameter '" + name + "'");
        }
        String v = value.trim();
        if (d.numeric()) {
            double x;
            try {
                x = Double.parseDouble(v.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " takes a number; found '" + value + "'");
            }
            if (x < 0 || Double.isNaN(x) || Double.isInfinite(x)) {
                throw new IllegalArgumentException(name + " must be a non-negative number; found '" + value + "'");
            }
            v = fmt(x);
        } else if (!d.choices().contains(v)) {
            throw new IllegalArgumentException(name + " takes " + String.join("|", d.choices()) + "; found '" + value + "'");
        }
        Map<String, String> m = new LinkedHashMap<>(values);
        m.put(name, v);
        return new ScoreParams(m);
    }

    public ScoreParams with(String name, double value) {
        return with(name, fmt(value));
    }

    /** Reads {@code name = value} lines ({@code #} comments) over the defaults. */
    public static ScoreParams read(Path file) {
        ScoreParams p = defaults();
        for (CommentedLines.Line l : CommentedLines.read(file, "cannot read the cost file")) {
            String t = l.text();
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw TraceInputException.atLine(file, l.number(), 1, "expected 'name = value'; found '" + t + "'");
            }
            try {
                p = p.with(t.substring(0, eq).trim(), t.substring(eq + 1).trim().replaceAll("^\"|\"$", ""));
            } catch (IllegalArgumentException e) {
                throw TraceInputException.atLine(file, l.number(), 1, e.getMessage());
            }
        }
        return p;
    }

    /** The default cost file's text: every parameter with its unit, range and meaning. */
    public static String defaultFile() {
        StringBuilder sb = new StringBuilder();
        sb.append("# ptorder score cost parameters (ordering-model.md §5.1) and scheme knobs (§4.2).\n");
        sb.append("# 'name = value'; units as noted. 'uncertain LO..HI' marks the parameters the reference\n");
        sb.append("# tags [U]: '--sweep uncertain' reports every result as a range over them.\n");
        for (Def d : DEFS) {
            sb.append("\n# ").append(d.help()).append('\n');
            if (d.numeric()) {
                sb.append("# unit: ").append(d.unit());
                if (d.uncertain()) {
                    sb.append("; uncertain ").append(fmt(d.low())).append("..").append(fmt(d.high()));
                }
            } else {
                sb.append("# one of: ").append(String.join(", ", d.choices()));
            }
            sb.append('\n').append(d.name()).append(" = ").append(d.value()).append('\n');
        }
        return sb.toString();
    }

    /** The numeric values that differ from the defaults, e.g. {@code hypercall_ns=812}. */
    public String diff() {
        StringBuilder sb = new StringBuilder();
        for (Def d : DEFS) {
            if (!d.value().equals(values.get(d.name()))) {
                sb.append(sb.length() > 0 ? " " : "").append(d.name()).append('=').append(values.get(d.name()));
            }
        }
        return sb.toString();
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
