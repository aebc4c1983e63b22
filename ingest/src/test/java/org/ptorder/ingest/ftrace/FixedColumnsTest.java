package org.ptorder.ingest.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.RealData;
import org.ptorder.ingest.common.TraceInput;

/**
 * The fixed-column fast path must give exactly what the general parse gives: the same parts
 * of every line it takes, and no line the general parse would split differently or reject.
 * The general parse is what a fresh {@link LineParser} does with its first line (it has no
 * columns to go by yet).
 */
class FixedColumnsTest {
    private static final String KERNEL = "            init-1       [000] d..2.    15.774310: xen_mc_batch: start batch LAZY_CPU";
    private static final String CYCLES = "            init-1       [001] ...1.  71568784182: xen_mmu_set_pte: ptep ffff888101f8ff50";
    private static final String REPORT = "          <idle>-0     [001]    15.774502: xen_mc_batch:         start batch LAZY_NONE";

    /** The general parse of the line at {@code s}, rendered with every part (or where and why it failed). */
    private static String general(byte[] b, int s, int limit) {
        return render(new LineParser(), new FtraceLine(), b, s, limit);
    }

    private static String render(LineParser p, FtraceLine l, byte[] b, int s, int limit) {
        int end = p.parseUpTo(l, b, s, limit);
        if (end < 0) {
            return "no event: column " + p.column + ", expected " + p.expected;
        }
        return render(l) + " end=" + end;
    }

    private static String render(FtraceLine l) {
        return "start=" + l.start + " end=" + l.end + " comm=" + l.commStart + ".." + l.commEnd + " unknown=" + l.unknownComm
            + " pid=" + l.pid + " cpu=" + l.cpu + " flags=" + l.flagsStart + ".." + l.flagsEnd + " time=" + l.timeStart
            + ".." + l.timeEnd + " " + l.time + " cycles=" + l.cycles + " name=" + l.nameStart + ".." + l.nameEnd
            + " fields=" + l.fieldsStart + " kind=" + l.kind;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A parser that has just split {@code teacher} (so it goes by its columns) parses
     * {@code line}, which stands between two other lines; true if its fast path took the line.
     */
    private static boolean sameAsGeneral(String teacher, byte[] line) {
        byte[] t = bytes(teacher + "\n");
        LineParser p = new LineParser();
        FtraceLine l = new FtraceLine();
        assertTrue(p.parseUpTo(l, t, 0, t.length) >= 0, teacher);
        byte[] b = new byte[t.length + line.length + t.length];
        System.arraycopy(t, 0, b, 0, t.length);
        System.arraycopy(line, 0, b, t.length, line.length);
        System.arraycopy(t, 0, b, t.length + line.length, t.length);
        String text = new String(line, StandardCharsets.ISO_8859_1);
        boolean taken = false;
        // the line last in the buffer (no newline after it), and followed by another
        for (int limit : new int[] {t.length + line.length, b.length}) {
            // the fast path alone, on columns learnt from the teacher
            FixedColumns columns = new FixedColumns();
            columns.learn(l, t, teacher.indexOf(']') + 1, l.timeEnd);
            FtraceLine fast = new FtraceLine();
            fast.buf = b;
            fast.start = t.length;
            boolean took = columns.parse(fast, b, t.length, limit) >= 0;
            taken |= took;
            String expected = general(b, t.length, limit);
            if (took) {
                FtraceLine g = new FtraceLine();
                new LineParser().parseUpTo(g, b, t.length, limit);
                assertEquals(head(g), head(fast), () -> "fast path on '" + text + "'");
            }
            // the whole parse, fast path first
            assertEquals(expected, render(p, new FtraceLine(), b, t.length, limit), () -> "'" + text + "'");
            p.parseUpTo(new FtraceLine(), t, 0, t.length); // teach the teacher's columns again
        }
        return taken;
    }

    /** The parts the fast path fills. */
    private static String head(FtraceLine l) {
        return "comm=" + l.commStart + ".." + l.commEnd + " unknown=" + l.unknownComm + " pid=" + l.pid + " cpu=" + l.cpu
            + " flags=" + l.flagsStart + ".." + l.flagsEnd + " time=" + l.timeStart + ".." + l.timeEnd + " " + l.time
            + " cycles=" + l.cycles;
    }

    private static boolean sameAsGeneral(String teacher, String line) {
        return sameAsGeneral(teacher, bytes(line));
    }

    @Test
    void takesTheKernelLayoutsAndTraceCmdReport() {
        assertTrue(sameAsGeneral(KERNEL, "            init-1       [000] d..2.    15.774317: xen_mc_issue: start batch LAZY_CPU"));
        assertTrue(sameAsGeneral(KERNEL, "     rcu_preempt-15      [001] dNh1.    15.774849: xen_mc_batch: start"));
        assertTrue(sameAsGeneral(KERNEL, "           <...>-4242    [003] d..2.  1234.000001: xen_mc_flush: flushing"));
        assertTrue(sameAsGeneral(KERNEL, "     Web Content-1234567 [127] d..2.    15.774849: tlb_flush: pages:1"));
        assertTrue(sameAsGeneral(CYCLES, "          <idle>-0       [000] d..2.  71568934752: xen_mc_batch: start batch LAZY_CPU"));
        assertTrue(sameAsGeneral(CYCLES, "          <idle>-0       [000] d..2.      1234567: xen_mc_batch: start batch LAZY_CPU"));
        assertTrue(sameAsGeneral(CYCLES, "          <idle>-0       [000] d..2.     12345678: xen_mc_batch: start batch LAZY_CPU"));
        assertTrue(sameAsGeneral(CYCLES, "          <idle>-0       [000] d..2. 715689347520: xen_mc_batch: x"));
        assertTrue(sameAsGeneral(REPORT, "          mmwork-180   [000]    15.926411: xen_mmu_flush_tlb_one_user: addr 7ff7a7cdd000"));
        assertTrue(sameAsGeneral(KERNEL, "            init-1       [000] d..2.    15.774310: xen_mc_batch:"));
        assertTrue(sameAsGeneral(KERNEL, "            init-1       [000] d..2.    15.774310: xen_mc_batch: x\r"));
    }

    @Test
    void leavesLinesThatOnlyLookAlikeToTheGeneralParse() {
        String[] lines = {
            "            init-12345678 [000] d..2.    15.774310: xen_mc_batch: start",  // 8-digit pid
            "            init-1234567  [000] d..2.    15.774310: xen_mc_batch: start",  // pid fills its column
            "            init-12345678[000] d..2.    15.774310: xen_mc_batch: start",   // no blank before '['
            "            init-1234 67  [000] d..2.    15.774310: xen_mc_batch: start",
            "  x-1 [001] yy-4242       [000] d..2.    15.774310: xen_mc_batch: start",  // an earlier bracket fits
            "   kworker/[1]-7          [000] d..2.    15.774310: xen_mc_batch: start",
            "      a-b-c-d[-1         [000] d..2.    15.774849: tlb_flush: pages:1",
            "    Web Content 1712      [002] d..2.    15.774310: xen_mc_batch: start",  // blank, not dash
            "            init-1       [000]          15.774310: xen_mc_batch: start",   // no flags
            "            init-1       [000] 1..2.    15.774310: xen_mc_batch: start",   // flags start with a digit
            "            init-1       [000] d.\t2.    15.774310: xen_mc_batch: start",  // tab in the flags
            "            init-1       [000] d..2.\t   15.774310: xen_mc_batch: start",  // tab before the time
            "            init-1       [000] d..2.  71568784182: xen_mc_batch: start",   // cycles, not seconds
            "            init-1       [000] d..2.   15.7743101: xen_mc_batch: start",   // seven fraction digits
            "            init-1       [000] d..2. 12345678.774310: xen_mc_batch: x",    // eight seconds digits
            "            init-1       [000] d..2.    15.774310:xen_mc_batch: start",    // no blank after ':'
            "            init-1       [000] d..2.    15.774310: xen_mc_batch",          // no ':' after the name
            "            init-1       [00] d..2.     15.774310: xen_mc_batch: start",
            "            init-1       [0000] d..2.   15.774310: xen_mc_batch: start",
            "            init-        [000] d..2.    15.774310: xen_mc_batch: start",   // no pid
            "                -1       [000] d..2.    15.774310: xen_mc_batch: start",   // no comm
            "            init-1       [000] d..2.    15.774310",                        // truncated
            "            init-1       [000] d..2.    15.77",
            "            init-1       [000] d..2.    15.774310:",
            "            init-1",
            "            in\nt-1       [000] d..2.    15.774310: xen_mc_batch: start",   // a newline inside
            "            init-1       [000] d..2.    15.774\n10: xen_mc_batch: start",
            "            init-1       [000] d..2.    15.774310:\nxen_mc_batch: start",
            "# tracer: nop",
            "",
        };
        for (String line : lines) {
            sameAsGeneral(KERNEL, line);
            sameAsGeneral(CYCLES, line);
            sameAsGeneral(REPORT, line);
        }
    }

    @Test
    void aTimestampColumnOfBlanksIsNoTimestamp() {
        String narrow = "            init-1       [001] ...1. 1234567: xen_mc_batch: x";
        assertTrue(sameAsGeneral(narrow, "            init-1       [001] ...1. 7654321: xen_mc_batch: x"));
        sameAsGeneral(narrow, "            init-1       [001] ...1.        : xen_mc_batch: x");
        sameAsGeneral(KERNEL, "            init-1       [000] d..2.          .774310: xen_mc_batch: x");
    }

    /**
     * Real lines of the three captures, each changed at random in or next to its head (a byte
     * replaced by one that matters to the layout, inserted or deleted, the line cut short),
     * after a parser that learnt the columns from the line unchanged.
     */
    @Test
    void mutatedRealLinesGiveWhatTheGeneralParseGives() throws IOException {
        byte[] alphabet = bytes(" \t\n\r-[]:.#<>0123456789az_\u00ff");
        Random random = new Random(20261207);
        int taken = 0;
        int tried = 0;
        for (String line : sample()) {
            int colon = line.indexOf(": ") + 2;
            for (int m = 0; m < 12; m++) {
                byte[] b = bytes(line);
                int at = random.nextInt(Math.min(colon + 4, b.length));
                byte[] changed;
                switch (random.nextInt(4)) {
                    case 0 -> {
                        changed = b.clone();
                        changed[at] = alphabet[random.nextInt(alphabet.length)];
                    }
                    case 1 -> {
                        changed = new byte[b.length + 1];
                        System.arraycopy(b, 0, changed, 0, at);
                        changed[at] = alphabet[random.nextInt(alphabet.length)];
                        System.arraycopy(b, at, changed, at + 1, b.length - at);
                    }
                    case 2 -> {
                        changed = new byte[b.length - 1];
                        System.arraycopy(b, 0, changed, 0, at);
                        System.arraycopy(b, at + 1, changed, at, b.length - at - 1);
                    }
                    default -> changed = java.util.Arrays.copyOf(b, at);
                }
                tried++;
                taken += sameAsGeneral(line, changed) ? 1 : 0;
            }
        }
        // the fast path did see many of them (a change in the comm or the time digits keeps the layout)
        assertTrue(taken > tried / 10, taken + " of " + tried);
    }

    /** Every line of the real captures, read in order by one parser (columns and remembered parts carried along). */
    @Test
    void realCapturesSplitAsTheGeneralParseSplitsThem() throws IOException {
        for (Path file : files()) {
            LineParser p = new LineParser();
            long lines = 0;
            try (BufferedReader r = reader(file)) {
                for (String line; (line = r.readLine()) != null; lines++) {
                    byte[] b = bytes(line);
                    assertEquals(general(b, 0, b.length), render(p, new FtraceLine(), b, 0, b.length), line);
                }
            }
            assertTrue(lines > 700_000, file + ": " + lines);
        }
    }

    private static List<Path> files() {
        return List.of(RealData.run(RealData.RUN_A, "ftrace-kernel-trace.txt.gz"),
            RealData.run(RealData.RUN_A, "ftrace-report.txt.gz"),
            RealData.run(RealData.RUN_B, "ftrace-kernel-trace.txt.gz"));
    }

    private static BufferedReader reader(Path file) throws IOException {
        return new BufferedReader(new InputStreamReader(TraceInput.open(file), StandardCharsets.ISO_8859_1));
    }

    /** Every 997th line of each capture that is an event line. */
    private static List<String> sample() throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path file : files()) {
            try (BufferedReader r = reader(file)) {
                long n = 0;
                for (String line; (line = r.readLine()) != null; ) {
                    byte[] b = bytes(line);
                    if (n++ % 997 == 0 && new LineParser().parseUpTo(new FtraceLine(), b, 0, b.length) >= 0) {
                        lines.add(line);
                    }
                }
            }
        }
        return lines;
    }
}
