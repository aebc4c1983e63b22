package org.ptorder.analyze.scheme;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ptorder.analyze.check.ViolationClass;
import org.ptorder.analyze.sql.Json;

/** Prints a score: the side-by-side table (violations by class, then costs), ranges and rankings; or JSON. */
public final class ScoreReport {
    private ScoreReport() { }

    public enum Format { table, json }

    /** The cost columns of the table: metric, heading, divisor (ns shown as µs). */
    private static final String[][] COLUMNS = {
        {"hypercalls.total", "hcalls", "1"},
        {"entries_per_hypercall", "ent/hc", "1"},
        {"ipis_sent", "IPIs", "1"},
        {"initiator_wait_ns.p50", "wait p50us", "1000"},
        {"initiator_wait_ns.p99", "p99us", "1000"},
        {"initiator_wait_ns.max", "max us", "1000"},
        {"initiator_wait_ns.total", "wait tot us", "1000"},
        {"lock_contended_wait_ns", "lockwait us", "1000"},
        {"shared_line_updates", "lines", "1"},
        {"condvar_waits", "cv waits", "1"},
        {"extra_full_flushes", "+flushes", "1"},
        {"completion_delta_ns.total", "dCPU us", "1000"},
        {"completion_delta_ns.max", "dmax us", "1000"},
    };

    /** The metric schemes are ranked by (their added CPU time; throughput in §5.1's terms). */
    public static final String RANK_METRIC = "completion_delta_ns.total";

    public static void print(ScoreRun.Outcome o, Format fmt, PrintWriter out) {
        if (fmt == Format.json) {
            out.println(json(o));
        } else {
            for (ScoreRun.FileScore f : o.files()) {
                table(o, f, out);
            }
        }
        out.flush();
    }

    private static Map<String, Map<String, ScoreRows.Row>> index(List<ScoreRows.Row> rows, String set) {
        Map<String, Map<String, ScoreRows.Row>> m = new LinkedHashMap<>();
        for (ScoreRows.Row r : rows) {
            if (r.paramSet().equals(set)) {
                m.computeIfAbsent(r.scheme(), k -> new LinkedHashMap<>()).put(r.metric(), r);
            }
        }
        return m;
    }

    static void table(ScoreRun.Outcome o, ScoreRun.FileScore f, PrintWriter out) {
        List<ScoreRows.Row> rows = ScoreRows.rows(o, f);
        List<String> sets = new ArrayList<>(o.options().sets().keySet());
        out.printf(Locale.ROOT, "ptorder score: %s%n  %d ops, %d CPUs, %d schemes scored in %.3f s%n", f.path(), f.ops(),
            f.cpus(), o.options().schemes().size(), f.seconds());
        for (Scheme s : o.options().schemes()) {
            out.printf("    %-4s %s%n", s.text(), s.title());
        }
        for (String set : sets) {
            if (o.options().sweepSets().contains(set)) {
                continue;
            }
            Map<String, Map<String, ScoreRows.Row>> ix = index(rows, set);
            ScoreParams p = o.options().sets().get(set);
            out.printf("%n  parameters: %s%s%n", set, p.diff().isEmpty() ? " (the reference's defaults)"
                : " (" + p.diff() + ")");
            List<String> classes = new ArrayList<>();
            for (ViolationClass vc : ViolationClass.values()) {
                String m = "violations." + vc.text();
                if (ix.values().stream().anyMatch(s -> s.get(m).value() > 0)) {
                    classes.add(vc.text());
                }
            }
            StringBuilder head = new StringBuilder(String.format("  %-6s", "scheme"));
            for (String c : classes) {
                head.append(String.format(" %" + Math.max(5, c.length()) + "s", c));
            }
            if (classes.isEmpty()) {
                head.append(String.format(" %10s", "violations"));
            }
            head.append(" |");
            for (String[] c : COLUMNS) {
                head.append(String.format(" %11s", c[1]));
            }
            out.println(head);
            for (Map.Entry<String, Map<String, ScoreRows.Row>> e : ix.entrySet()) {
                StringBuilder sb = new StringBuilder(String.format("  %-6s", e.getKey()));
                for (String c : classes) {
                    sb.append(String.format(Locale.ROOT, " %" + Math.max(5, c.length()) + "d",
                        (long) e.getValue().get("violations." + c).value()));
                }
                if (classes.isEmpty()) {
                    sb.append(String.format(" %10s", "none"));
                }
                sb.append(" |");
                for (String[] c : COLUMNS) {
                    ScoreRows.Row r = e.getValue().get(c[0]);
                    sb.append(String.format(" %11s", num(r.value() / Double.parseDouble(c[2]))));
                }
                out.println(sb);
            }
            if (!o.options().sweepSets().isEmpty()) {
                out.println("  ranges over the sweep (low..high):");
                for (Map.Entry<String, Map<String, ScoreRows.Row>> e : ix.entrySet()) {
                    StringBuilder sb = new StringBuilder();
                    for (String[] c : COLUMNS) {
                        ScoreRows.Row r = e.getValue().get(c[0]);
                        double d = Double.parseDouble(c[2]);
                        if (r.low() != null && !r.low().equals(r.high())) {
                            sb.append(' ').append(c[1].trim()).append(' ').append(num(r.low() / d)).append("..")
                                .append(num(r.high() / d));
                        }
                    }
                    out.println(String.format("  %-6s", e.getKey()) + (sb.length() == 0 ? " (the same everywhere)" : sb));
                }
            }
        }
        out.println();
        out.println("  " + ranking(rows, sets, o.options().sweepSets()));
        out.println("  violations are measured once: the replay keeps the recorded order of synchronisation, so"
            + " they do not depend on the costs");
    }

    /** The schemes ordered by {@link #RANK_METRIC} at each set, and whether that order holds at all of them. */
    static String ranking(List<ScoreRows.Row> rows, List<String> sets, List<String> sweeps) {
        List<String> orders = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        for (String set : sets) {
            String order = order(rows, set);
            if (!orders.isEmpty() && !order.equals(orders.get(0))) {
                changes.add(set + ": " + order);
            }
            orders.add(order);
        }
        StringBuilder sb = new StringBuilder("ranking by added CPU time (" + RANK_METRIC + ", least first) at "
            + sets.get(0) + ": " + orders.get(0));
        if (sets.size() > 1) {
            if (changes.isEmpty()) {
                sb.append("; holds at every parameter set (").append(sets.size()).append(')');
            } else {
                sb.append("\n  what holds at every parameter set (").append(sets.size()).append("): ")
                    .append(commonPrefix(orders)).append("\n  it differs at ").append(String.join("; ", changes));
            }
        }
        return sb.toString();
    }

    /** The longest start of the orders (whole "A < B = C" steps) that every order shares, then "the rest". */
    static String commonPrefix(List<String> orders) {
        String[] first = orders.get(0).split(" < ");
        StringBuilder sb = new StringBuilder();
        int k = 0;
        for (; k < first.length; k++) {
            final int i = k;
            if (!orders.stream().allMatch(o -> {
                String[] steps = o.split(" < ");
                return steps.length > i && steps[i].equals(first[i]);
            })) {
                break;
            }
            sb.append(k > 0 ? " < " : "").append(first[k]);
        }
        return k == 0 ? "no scheme keeps its place" : k == first.length ? sb.toString() : sb + " < the rest (order varies)";
    }

    private static String order(List<ScoreRows.Row> rows, String set) {
        List<ScoreRows.Row> r = new ArrayList<>(rows.stream().filter(x -> x.paramSet().equals(set)
            && x.metric().equals(RANK_METRIC)).toList());
        r.sort(Comparator.comparingDouble(ScoreRows.Row::value));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
            if (i > 0) {
                sb.append(r.get(i).value() == r.get(i - 1).value() ? " = " : " < ");
            }
            sb.append(r.get(i).scheme());
        }
        return sb.toString();
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.2f", v);
    }

    static String json(ScoreRun.Outcome o) {
        StringBuilder sb = new StringBuilder("{\"input\": ");
        Json.string(sb, o.input().toString());
        List<String> sets = new ArrayList<>(o.options().sets().keySet());
        sb.append(", \"param_set\": ");
        Json.string(sb, sets.get(0));
        List<ScoreRows.Row> firstRows = o.files().isEmpty() ? List.of() : ScoreRows.rows(o, o.files().get(0));
        sb.append(", \"schemes\": ");
        schemes(sb, firstRows, sets.get(0));
        if (sets.size() > 1) {
            sb.append(", \"param_sets\": [");
            for (int i = 1; i < sets.size(); i++) {
                sb.append(i > 1 ? ", " : "").append("{\"name\": ");
                Json.string(sb, sets.get(i));
                sb.append(", \"schemes\": ");
                schemes(sb, firstRows, sets.get(i));
                sb.append('}');
            }
            sb.append(']');
        }
        sb.append(", \"ranking\": ");
        Json.string(sb, ranking(firstRows, sets, o.options().sweepSets()));
        sb.append(", \"files\": [");
        for (int i = 0; i < o.files().size(); i++) {
            ScoreRun.FileScore f = o.files().get(i);
            sb.append(i > 0 ? ", " : "").append("{\"file_id\": ").append(f.fileId()).append(", \"path\": ");
            Json.string(sb, f.path());
            sb.append(", \"ops\": ").append(f.ops()).append(", \"cpus\": ").append(f.cpus());
            if (i > 0) { // the first file's are the top-level "schemes"
                sb.append(", \"schemes\": ");
                schemes(sb, ScoreRows.rows(o, f), sets.get(0));
            }
            sb.append('}');
        }
        sb.append("]}");
        return sb.toString();
    }

    private static void schemes(StringBuilder sb, List<ScoreRows.Row> rows, String set) {
        Map<String, Map<String, ScoreRows.Row>> ix = index(rows, set);
        sb.append('[');
        boolean firstScheme = true;
        for (Map.Entry<String, Map<String, ScoreRows.Row>> e : ix.entrySet()) {
            sb.append(firstScheme ? "" : ", ").append("{\"scheme\": ");
            firstScheme = false;
            Json.string(sb, e.getKey());
            StringBuilder v = new StringBuilder();
            StringBuilder c = new StringBuilder();
            StringBuilder rg = new StringBuilder();
            for (ScoreRows.Row r : e.getValue().values()) {
                boolean viol = r.metric().startsWith("violations.");
                StringBuilder t = viol ? v : c;
                t.append(t.length() > 0 ? ", " : "");
                Json.string(t, viol ? r.metric().substring(11) : r.metric());
                t.append(": ").append(num(r.value()));
                if (r.low() != null) {
                    rg.append(rg.length() > 0 ? ", " : "");
                    Json.string(rg, r.metric());
                    rg.append(": [").append(num(r.low())).append(", ").append(num(r.high())).append(']');
                }
            }
            sb.append(", \"violations\": {").append(v).append("}, \"costs\": {").append(c).append('}');
            if (rg.length() > 0) {
                sb.append(", \"ranges\": {").append(rg).append('}');
            }
            sb.append('}');
        }
        sb.append(']');
    }
}
