package org.ptorder.analyze.check;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ptorder.analyze.sql.Json;
import org.ptorder.ingest.mmu.MmuOp;

/** Prints a check's results: a summary per class and label, what could not be decided, then the findings. */
public final class CheckReport {
    public enum Format { table, json, markdown }

    private CheckReport() { }

    public static void print(CheckRun.Outcome o, Format fmt, int maxFindings, PrintWriter out) {
        switch (fmt) {
            case json -> json(o, out);
            case markdown -> markdown(o, maxFindings, out);
            default -> table(o, maxFindings, out);
        }
        out.flush();
    }

    // ---- table ---------------------------------------------------------------------------

    private static void table(CheckRun.Outcome o, int max, PrintWriter out) {
        for (CheckRun.FileResult fr : o.files()) {
            CheckResult r = fr.result();
            out.printf("ptorder check: %s%s%n", fr.path(), o.database() ? " (file " + fr.fileId() + ")" : "");
            out.printf("  %,d ops, %d CPUs, checked in %.3f s%s%s%n", r.ops(), r.cpus(), fr.seconds(),
                fr.options().describe().isEmpty() ? "" : ", options: " + fr.options().describe(),
                o.stored() ? "; stored in violations" : "");
            out.println();
            Map<ViolationClass, long[]> counts = r.counts();
            if (counts.isEmpty()) {
                out.println("  no findings");
            } else {
                out.printf("  %-14s %9s %7s %12s%n", "class", "OBSERVED", "LATENT", "BENIGN-RACE");
                long[] tot = new long[3];
                for (Map.Entry<ViolationClass, long[]> e : counts.entrySet()) {
                    long[] c = e.getValue();
                    out.printf("  %-14s %9d %7d %12d%n", e.getKey().text(), c[0], c[1], c[2]);
                    for (int i = 0; i < 3; i++) {
                        tot[i] += c[i];
                    }
                }
                out.printf("  %-14s %9d %7d %12d%n", "total", tot[0], tot[1], tot[2]);
            }
            if (!r.undecided().isEmpty()) {
                out.println();
                out.println("  undecided (what this trace cannot tell):");
                for (Undecided u : r.undecided()) {
                    out.printf("    %s: %s%s%n", u.classes(), u.reason(), u.count() >= 0 ? " [" + u.count() + "]" : "");
                }
            }
            if (!r.findings().isEmpty()) {
                out.println();
                out.println("  findings:");
                int k = 0;
                for (Finding f : r.findings()) {
                    if (k++ >= max) {
                        out.printf("  ... %d more (--max-findings, or --format json%s)%n", r.findings().size() - max,
                            o.stored() ? ", or the violations table" : "");
                        break;
                    }
                    finding(out, k, f);
                }
            }
            out.println();
        }
    }

    private static void finding(PrintWriter out, int k, Finding f) {
        StringBuilder h = new StringBuilder();
        h.append(String.format("  [%d] %s %s  coverage=%s", k, f.cls().text(), f.label().text(), f.coverage().text()));
        if (f.pte() != MmuOp.NONE) {
            h.append(" pte=").append(EventRef.hex(f.pte()));
        }
        if (f.va() != MmuOp.NONE) {
            h.append(" va=").append(EventRef.hex(f.va()));
        }
        if (f.frame() != MmuOp.NONE) {
            h.append(" frame=").append(EventRef.hex(f.frame()));
        }
        out.println(h);
        out.println("      " + f.cls().title());
        out.println("      writer:   " + f.writer().brief());
        out.println("      reader:   " + f.reader().brief());
        if (f.evidence() != null) {
            out.println("      evidence: " + f.evidence().brief() + ": " + f.evidenceText());
        }
        if (f.hbPath() != null) {
            out.println("      hb:       " + f.hbPath());
        }
        if (f.missing() != null) {
            out.println("      missing:  " + f.missing());
        }
        if (f.rootCause() != null) {
            out.println("      cause:    " + f.rootCause());
        }
        if (f.note() != null) {
            out.println("      note:     " + f.note());
        }
        out.println("      interleaving:");
        int i = 1;
        for (String s : f.interleaving()) {
            out.println("        " + (i++) + ". " + s);
        }
    }

    // ---- json ----------------------------------------------------------------------------

    private static void json(CheckRun.Outcome o, PrintWriter out) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\n  \"input\": ");
        Json.string(sb, o.input().toString());
        sb.append(",\n  \"files\": [");
        boolean first = true;
        Map<String, long[]> total = new LinkedHashMap<>();
        for (CheckRun.FileResult fr : o.files()) {
            CheckResult r = fr.result();
            sb.append(first ? "\n    " : ",\n    ");
            first = false;
            sb.append("{\"file_id\": ").append(fr.fileId()).append(", \"path\": ");
            Json.string(sb, fr.path());
            sb.append(", \"ops\": ").append(r.ops()).append(", \"cpus\": ").append(r.cpus())
                .append(", \"seconds\": ").append(String.format("%.6f", fr.seconds())).append(", \"options\": ");
            Json.string(sb, fr.options().describe());
            sb.append(", \"peak_state\": ").append(r.peakState()).append('}');
            for (Map.Entry<ViolationClass, long[]> e : r.counts().entrySet()) {
                long[] t = total.computeIfAbsent(e.getKey().text(), x -> new long[3]);
                for (int i = 0; i < 3; i++) {
                    t[i] += e.getValue()[i];
                }
            }
        }
        sb.append("\n  ],\n  \"summary\": [");
        first = true;
        for (Map.Entry<String, long[]> e : total.entrySet()) {
            for (Label l : Label.values()) {
                long c = e.getValue()[l.ordinal()];
                if (c > 0) {
                    sb.append(first ? "\n    " : ",\n    ");
                    first = false;
                    sb.append("{\"class\": \"").append(e.getKey()).append("\", \"label\": \"").append(l.text())
                        .append("\", \"count\": ").append(c).append('}');
                }
            }
        }
        sb.append("\n  ],\n  \"findings\": [");
        first = true;
        for (CheckRun.FileResult fr : o.files()) {
            for (Finding f : fr.result().findings()) {
                sb.append(first ? "\n    " : ",\n    ");
                first = false;
                findingJson(sb, f);
            }
        }
        sb.append("\n  ],\n  \"undecided\": [");
        first = true;
        for (CheckRun.FileResult fr : o.files()) {
            for (Undecided u : fr.result().undecided()) {
                for (String cls : u.classes().split(",\\s*")) {
                    sb.append(first ? "\n    " : ",\n    ");
                    first = false;
                    sb.append("{\"file_id\": ").append(fr.fileId()).append(", \"class\": ");
                    Json.string(sb, cls);
                    sb.append(", \"reason\": ");
                    Json.string(sb, u.reason());
                    sb.append(", \"count\": ").append(u.count() < 0 ? "null" : String.valueOf(u.count())).append('}');
                }
            }
        }
        sb.append("\n  ]\n}\n");
        out.print(sb);
    }

    private static void findingJson(StringBuilder sb, Finding f) {
        sb.append("{\"file_id\": ").append(f.fileId()).append(", \"class\": \"").append(f.cls().text())
            .append("\", \"label\": \"").append(f.label().text()).append("\", \"coverage\": \"")
            .append(f.coverage().text()).append('"');
        hexField(sb, "pte", f.pte());
        hexField(sb, "va", f.va());
        hexField(sb, "old", f.oldValue());
        hexField(sb, "new", f.newValue());
        hexField(sb, "frame", f.frame());
        sb.append(", \"writer\": ");
        event(sb, f.writer());
        sb.append(", \"reader\": ");
        event(sb, f.reader());
        sb.append(", \"evidence\": ");
        if (f.evidence() == null) {
            sb.append("null");
        } else {
            event(sb, f.evidence());
        }
        str(sb, "evidence_text", f.evidenceText());
        str(sb, "hb_path", f.hbPath());
        str(sb, "missing", f.missing());
        sb.append(", \"missing_seq\": ").append(f.missingSeq() == MmuOp.NONE ? "null" : String.valueOf(f.missingSeq()));
        sb.append(", \"interleaving\": [");
        for (int i = 0; i < f.interleaving().size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Json.string(sb, f.interleaving().get(i));
        }
        sb.append(']');
        str(sb, "root_cause", f.rootCause());
        str(sb, "note", f.note());
        sb.append('}');
    }

    private static void event(StringBuilder sb, EventRef e) {
        sb.append("{\"seq\": ").append(e.seq()).append(", \"cpu\": ").append(e.cpu()).append(", \"ts\": ")
            .append(num(e.ts())).append(", \"line\": ").append(num(e.line())).append(", \"offset\": ")
            .append(num(e.offset())).append(", \"at\": ");
        if (e.at() == null) {
            sb.append("null");
        } else {
            Json.string(sb, e.at());
        }
        sb.append(", \"op\": ");
        Json.string(sb, e.detail());
        sb.append('}');
    }

    private static String num(long v) {
        return v == MmuOp.NONE ? "null" : String.valueOf(v);
    }

    /** 64-bit machine values as hex strings: JSON numbers lose precision above 2^53. */
    private static void hexField(StringBuilder sb, String k, long v) {
        sb.append(", \"").append(k).append("\": ").append(v == MmuOp.NONE ? "null" : "\"" + EventRef.hex(v) + "\"");
    }

    private static void str(StringBuilder sb, String k, String v) {
        sb.append(", \"").append(k).append("\": ");
        if (v == null) {
            sb.append("null");
        } else {
            Json.string(sb, v);
        }
    }

    // ---- markdown ------------------------------------------------------------------------

    private static void markdown(CheckRun.Outcome o, int max, PrintWriter out) {
        for (CheckRun.FileResult fr : o.files()) {
            CheckResult r = fr.result();
            out.printf("## ptorder check: `%s`%s%n%n", fr.path(), o.database() ? " (file " + fr.fileId() + ")" : "");
            out.printf("%,d ops, %d CPUs, checked in %.3f s.%s%n%n", r.ops(), r.cpus(), fr.seconds(),
                fr.options().describe().isEmpty() ? "" : " Options: `" + fr.options().describe() + "`.");
            Map<ViolationClass, long[]> counts = r.counts();
            if (counts.isEmpty()) {
                out.println("No findings.");
                out.println();
            } else {
                out.println("| class | OBSERVED | LATENT | BENIGN-RACE |");
                out.println("|---|--:|--:|--:|");
                for (Map.Entry<ViolationClass, long[]> e : counts.entrySet()) {
                    long[] c = e.getValue();
                    out.printf("| %s | %d | %d | %d |%n", e.getKey().text(), c[0], c[1], c[2]);
                }
                out.println();
            }
            if (!r.undecided().isEmpty()) {
                out.println("**Undecided** (what this trace cannot tell):");
                out.println();
                for (Undecided u : r.undecided()) {
                    out.printf("- **%s**: %s%s%n", u.classes(), md(u.reason()), u.count() >= 0 ? " (" + u.count() + ")" : "");
                }
                out.println();
            }
            if (!r.findings().isEmpty()) {
                out.println("| # | class | label | coverage | pte | va | writer | reader | missing |");
                out.println("|--:|---|---|---|---|---|---|---|---|");
                List<Finding> shown = new ArrayList<>(r.findings().subList(0, Math.min(max, r.findings().size())));
                int k = 1;
                for (Finding f : shown) {
                    out.printf("| %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", k++, f.cls().text(), f.label().text(),
                        f.coverage().text(), f.pte() == MmuOp.NONE ? "" : "`" + EventRef.hex(f.pte()) + "`",
                        f.va() == MmuOp.NONE ? "" : "`" + EventRef.hex(f.va()) + "`", md(f.writer().brief()),
                        md(f.reader().brief()), md(f.missing() == null ? "" : f.missing()));
                }
                if (r.findings().size() > max) {
                    out.printf("%n... %d more findings (--max-findings, or --format json).%n", r.findings().size() - max);
                }
                out.println();
                k = 1;
                for (Finding f : shown) {
                    out.printf("**%d. %s %s** — %s%n%n", k++, f.cls().text(), f.label().text(), f.cls().title());
                    if (f.evidence() != null) {
                        out.printf("- evidence: %s: %s%n", md(f.evidence().brief()), md(f.evidenceText()));
                    }
                    if (f.hbPath() != null) {
                        out.printf("- hb: %s%n", md(f.hbPath()));
                    }
                    if (f.rootCause() != null) {
                        out.printf("- cause: %s%n", md(f.rootCause()));
                    }
                    if (f.note() != null) {
                        out.printf("- note: %s%n", md(f.note()));
                    }
                    out.println("- interleaving:");
                    int i = 1;
                    for (String s : f.interleaving()) {
                        out.printf("  %d. %s%n", i++, md(s));
                    }
                    out.println();
                }
            }
        }
    }

    private static String md(String s) {
        return s == null ? "" : s.replace("|", "\\|");
    }

    /** Whether the findings match {@code --fail-on}: observed, latent (or observed), any. */
    public static boolean fails(CheckRun.Outcome o, String failOn) {
        if (failOn == null) {
            return false;
        }
        for (CheckRun.FileResult fr : o.files()) {
            for (Finding f : fr.result().findings()) {
                switch (failOn) {
                    case "any" -> {
                        return true;
                    }
                    case "latent" -> {
                        if (f.label() != Label.BENIGN_RACE) {
                            return true;
                        }
                    }
                    default -> {
                        if (f.label() == Label.OBSERVED) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }
}
