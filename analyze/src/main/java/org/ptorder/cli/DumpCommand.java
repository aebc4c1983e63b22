package org.ptorder.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.xentrace.RecordCursor;
import org.ptorder.ingest.xentrace.RecordText;
import org.ptorder.ingest.xentrace.TraceFile;
import org.ptorder.ingest.xentrace.SchedReplay;
import org.ptorder.ingest.xentrace.XenRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dump", mixinStandardHelpOptions = true,
    description = {"Print a xentrace file one record per line, in merged time order.",
        "",
        "Columns: seq, time (seconds since the first record with --cpu-hz, else 'c' + cycles),",
        "pCPU, the domain and vCPU running there (d?v? = unknown), byte offset in the file, and",
        "the decoded record."},
    footer = {"", "Examples:", "  ptorder dump xen.trace --cpu 1 --from 2.5s --to 2.6s --cpu-hz 2.1G",
        "  ptorder dump xen.trace --from 1000000c | grep mmu_update"})
final class DumpCommand implements Callable<Integer> {
    @Mixin
    Io io;

    @Parameters(index = "0", paramLabel = "FILE", description = "A xentrace file.")
    Path input;

    @Option(names = "--cpu", paramLabel = "N", description = "Only records of pCPU N.")
    Integer cpu;

    @Option(names = "--from", paramLabel = "TIME",
        description = "Start at TIME since the first record: 1.5s, 20ms, 300us (need --cpu-hz) or 123456c (cycles).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Stop after TIME (same forms as --from).")
    String to;

    @Mixin
    CpuHzOption hz;

    @Override
    public Integer call() {
        WarningList warnings = new WarningList();
        PrintWriter out = io.out();
        try (RecordCursor cur = RecordCursor.open(TraceFile.open(input), warnings)) {
            TimeBase time = new TimeBase(cur.firstTsc(), hz.hz());
            long lo = from == null ? Long.MIN_VALUE : cur.firstTsc() + cycles(from, time);
            long hi = to == null ? Long.MAX_VALUE : cur.firstTsc() + cycles(to, time);
            SchedReplay who = new SchedReplay();
            RecordText text = new RecordText();
            while (cur.next()) {
                if (cur.endedCpu() >= 0) {
                    who.endOfStream(cur.endedCpu());
                }
                XenRecord r = cur.record();
                if (r.tsc() > hi) {
                    break;
                }
                SchedReplay.Vcpu v = who.current(r.cpu());
                who.observe(r);
                if (r.tsc() < lo || cpu != null && r.cpu() != cpu) {
                    continue;
                }
                out.printf("%8d %s p%d %s @%d %s%n", r.seq(), time.format(r.tsc()), r.cpu(),
                    v == null ? "d?v?" : "d" + v.d.did + "v" + v.vid, r.offset(), text.describe(r));
                if ((r.seq() & 0xFFF) == 0 && out.checkError()) {
                    return Main.OK; // reader went away (e.g. piped into head)
                }
            }
        }
        out.flush();
        warnings.rows().forEach(w -> io.err().println("warning: " + input + ": offset " + w.offset() + ": " + w.message()));
        return Main.OK;
    }

    /** Parses a duration into cycles. */
    static long cycles(String text, TimeBase time) {
        String t = text.trim().toLowerCase();
        try {
            if (t.endsWith("c")) {
                return Long.parseLong(t.substring(0, t.length() - 1));
            }
            double scale;
            String num;
            if (t.endsWith("ms")) {
                scale = 1e-3;
                num = t.substring(0, t.length() - 2);
            } else if (t.endsWith("us")) {
                scale = 1e-6;
                num = t.substring(0, t.length() - 2);
            } else if (t.endsWith("ns")) {
                scale = 1e-9;
                num = t.substring(0, t.length() - 2);
            } else if (t.endsWith("s")) {
                scale = 1;
                num = t.substring(0, t.length() - 1);
            } else {
                scale = 1;
                num = t;
            }
            double secs = Double.parseDouble(num) * scale;
            if (!time.known()) {
                throw new UsageException("time '" + text + "' needs --cpu-hz to convert to cycles; or give cycles as '"
                    + "123456c'");
            }
            return Math.round(secs * time.hz());
        } catch (NumberFormatException e) {
            throw new UsageException("bad time '" + text + "': expected e.g. 1.5s, 20ms, 300us or 123456c");
        }
    }
}
