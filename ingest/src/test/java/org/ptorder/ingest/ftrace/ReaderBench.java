package org.ptorder.ingest.ftrace;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ptorder.ingest.common.WarningSink;

/**
 * Reader throughput against {@code wc -l} on the same big file (not a unit test: run by hand).
 * <pre>
 *   cd ingest && mvn -q -B -o test-compile && java -cp target/classes:target/test-classes \
 *       org.ptorder.ingest.ftrace.ReaderBench SOURCE.txt[.gz] REPEATS [BIG_FILE [RUNS]]
 * </pre>
 * The big file is the source text repeated REPEATS times, each copy's timestamps shifted past
 * the previous copy's end, so the result is one valid, time-ordered trace (an existing
 * BIG_FILE is reused as it is). Then {@code wc -l} and a full read alternate, and the best and
 * median of each are reported: the machine is shared, and the best run is the one least
 * disturbed by others. A full read is what {@link FtraceReader#next()} delivers for every
 * line: comm (range, or unknown), pid, CPU, flags (range), the time as a number and its
 * printed range, the event name (range) and kind, and the range of the field text; header and
 * marker lines handled, line numbers counted, the clock checked. The consumer below touches
 * all of them. "reader (cpu)" is the CPU time of the whole process, worker threads included.
 */
public final class ReaderBench {
    private ReaderBench() { }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ReaderBench SOURCE.txt[.gz] REPEATS [BIG_FILE] [RUNS]");
            System.exit(2);
        }
        Path source = Path.of(args[0]);
        int repeats = Integer.parseInt(args[1]);
        Path big = args.length > 2 ? Path.of(args[2]) : Files.createTempFile("ptorder-bench", ".txt");
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        // an existing BIG_FILE is reused (building it takes longer than the benchmark)
        long lines = Files.exists(big) && Files.size(big) > 0 ? countLines(big) : build(source, repeats, big);
        long size = Files.size(big);
        System.out.printf("file %s: %.1f MB, %d lines; load average %s%n", big, size / 1e6, lines, loadAverage());
        List<Double> wc = new ArrayList<>();
        List<Double> reader = new ArrayList<>();
        List<Double> readerCpu = new ArrayList<>();
        read(big); // warm up the JIT and the page cache
        for (int r = 0; r < runs; r++) {
            wc.add(size / 1e6 / wcSeconds(big, lines));
            double[] t = read(big);
            reader.add(size / 1e6 / t[0]);
            readerCpu.add(size / 1e6 / t[1]);
        }
        System.out.printf("wc -l        : best %7.1f MB/s, median %7.1f MB/s%n", max(wc), median(wc));
        System.out.printf("reader (wall): best %7.1f MB/s, median %7.1f MB/s%n", max(reader), median(reader));
        System.out.printf("reader (cpu) : best %7.1f MB/s, median %7.1f MB/s%n", max(readerCpu), median(readerCpu));
        System.out.printf("reader / wc -l: best %.2f, median %.2f; load average %s%n", max(reader) / max(wc),
            median(reader) / median(wc), loadAverage());
        if (args.length <= 2) {
            Files.delete(big);
        }
    }

    /** Writes the repeated trace; returns its line count. */
    static long build(Path source, int repeats, Path out) throws IOException {
        long first;
        long last;
        boolean cycles;
        try (FtraceReader r = FtraceReader.open(source, WarningSink.IGNORE)) {
            if (!r.next()) {
                throw new IllegalArgumentException(source + " has no events");
            }
            first = r.line().time;
            cycles = r.line().cycles;
            last = first;
            while (r.next()) {
                last = r.line().time;
            }
        }
        long span = last - first + (cycles ? 1 : 1000);
        long lines = 0;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            try (InputStream in = org.ptorder.ingest.common.TraceInput.open(source)) {
                byte[] all = in.readAllBytes(); // copy 0 verbatim, headers included
                o.write(all);
                for (byte c : all) {
                    lines += c == '\n' ? 1 : 0;
                }
            }
            for (int k = 1; k < repeats; k++) {
                try (FtraceReader r = FtraceReader.open(source, WarningSink.IGNORE)) {
                    while (r.next()) {
                        FtraceLine l = r.line();
                        o.write(l.buf, l.start, l.timeStart - l.start);
                        long t = l.time + k * span;
                        String text = cycles ? Long.toString(t)
                            : String.format("%d.%06d", t / 1_000_000_000L, t % 1_000_000_000L / 1000);
                        o.write(text.getBytes(StandardCharsets.US_ASCII));
                        o.write(l.buf, l.timeEnd, l.end - l.timeEnd);
                        o.write('\n');
                        lines++;
                    }
                }
            }
        }
        return lines;
    }

    private static long countLines(Path file) throws Exception {
        Process p = new ProcessBuilder("wc", "-l", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor();
        return Long.parseLong(out.substring(0, out.indexOf(' ')));
    }

    private static String loadAverage() throws IOException {
        Path p = Path.of("/proc/loadavg");
        return Files.exists(p) ? Files.readString(p).trim() : "?";
    }

    private static double wcSeconds(Path file, long expectLines) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder("wc", "-l", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        p.waitFor();
        double s = (System.nanoTime() - t0) / 1e9;
        if (!out.startsWith(expectLines + " ")) {
            throw new IllegalStateException("wc -l said " + out + ", expected " + expectLines);
        }
        return s;
    }

    /** {wall seconds, CPU seconds of the whole process (reader threads too)} of reading every event line. */
    private static double[] read(Path file) {
        com.sun.management.OperatingSystemMXBean mx =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = mx.getProcessCpuTime();
        long t0 = System.nanoTime();
        long sink = 0;
        try (FtraceReader r = FtraceReader.open(file, WarningSink.IGNORE)) {
            while (r.next()) {
                FtraceLine l = r.line();
                sink += l.kind.ordinal() + l.cpu + l.pid + l.time + l.commEnd + l.flagsEnd + l.timeEnd + l.nameEnd
                    + l.fieldsStart + l.end + l.lineNo;
            }
            if (r.unparsed() != 0 || sink == 42) {
                throw new IllegalStateException("unparsed lines: " + r.unparsed());
            }
        }
        return new double[] {(System.nanoTime() - t0) / 1e9, (mx.getProcessCpuTime() - c0) / 1e9};
    }

    private static double max(List<Double> v) {
        return Collections.max(v);
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
