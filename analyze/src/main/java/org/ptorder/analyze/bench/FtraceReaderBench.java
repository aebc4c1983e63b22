package org.ptorder.analyze.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.ptorder.ingest.common.TraceInput;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.ftrace.FtraceLine;
import org.ptorder.ingest.ftrace.FtraceReader;

/**
 * The ftrace text reader's throughput against {@code wc -l} on the same big file. Each source
 * text is repeated, every copy's timestamps shifted past the previous copy's end, into one
 * valid, time-ordered trace of at least the requested size; then {@code wc -l} and a full read
 * alternate, so both see the same page cache and the same neighbours, and the best and the
 * median of each are reported: the machine is shared, and the best run is the one least
 * disturbed by others.
 *
 * <p>A full read is what {@link FtraceReader#next()} delivers for every line (comm, pid, CPU,
 * flags, the time as a number and as printed, the event name and kind, the field text's range;
 * header and marker lines handled, line numbers counted, the clock checked), every part touched.
 * Fields are not decoded: the ingest decodes them only for the events it lowers.
 */
public final class FtraceReaderBench {
    /** One source's results; speeds in MB/s over the runs. */
    record Result(String source, long bytes, long lines, List<Double> wc, List<Double> reader, List<Double> readerCpu) { }

    private final Path dir;
    private final int runs;
    private final PrintWriter out;

    public FtraceReaderBench(Path dir, int runs, PrintWriter out) {
        this.dir = dir;
        this.runs = runs;
        this.out = out;
    }

    public void run(List<Path> sources, long size) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        List<Result> results = new ArrayList<>();
        for (Path source : sources) {
            Path big = dir.resolve("bench-ftrace-" + (size >> 20) + "M.txt");
            out.printf("building %s from %s ...%n", big, source);
            out.flush();
            try {
                long lines = repeatTo(source, size, big);
                results.add(measure(source, big, lines));
            } finally {
                Files.deleteIfExists(big);
            }
        }
        print(results);
    }

    private Result measure(Path source, Path big, long lines) throws IOException, InterruptedException {
        long bytes = Files.size(big);
        double mb = bytes / 1e6;
        out.printf("%d lines, %.1f MB; wc -l and the reader alternate, %d runs each (load average %s) ...%n",
            lines, mb, runs, loadAverage());
        out.flush();
        for (int w = 0; w < 2; w++) { // warms the page cache and lets the JIT finish compiling the reader
            read(big);
        }
        List<Double> wc = new ArrayList<>();
        List<Double> reader = new ArrayList<>();
        List<Double> readerCpu = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            wc.add(mb / wcSeconds(big, lines));
            double[] t = read(big);
            reader.add(mb / t[0]);
            readerCpu.add(mb / t[1]);
        }
        String name = source.getParent() == null ? source.toString()
            : source.getParent().getFileName() + "/" + source.getFileName();
        return new Result(name, bytes, lines, wc, reader, readerCpu);
    }

    /**
     * Writes {@code source} (plain or gzip) repeated until the output holds at least
     * {@code size} bytes: the first copy verbatim, headers included, each further copy's event
     * lines with times shifted by whole copies' spans, so times keep rising. Returns the line count.
     */
    static long repeatTo(Path source, long size, Path out) throws IOException {
        long first = -1;
        long last = -1;
        boolean cycles = false;
        try (FtraceReader r = FtraceReader.open(source, WarningSink.IGNORE)) {
            while (r.next()) {
                last = r.line().time;
                if (first < 0) {
                    first = last;
                    cycles = r.line().cycles;
                }
            }
        }
        if (first < 0) {
            throw new IllegalArgumentException(source + " has no ftrace event lines to repeat");
        }
        long span = last - first + (cycles ? 1 : 1000); // one unit of the printed clock past the end
        long lines = 0;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            Counter written = new Counter(o);
            try (InputStream in = TraceInput.open(source)) {
                lines += copyCountingLines(in, written);
            }
            for (long k = 1; written.bytes < size; k++) {
                lines += writeShifted(source, k * span, cycles, written);
            }
        }
        return lines;
    }

    private static long copyCountingLines(InputStream in, OutputStream o) throws IOException {
        byte[] buf = new byte[1 << 16];
        long lines = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            o.write(buf, 0, n);
            for (int i = 0; i < n; i++) {
                lines += buf[i] == '\n' ? 1 : 0;
            }
        }
        return lines;
    }

    /** The event lines of {@code source}, times plus {@code shift}, printed as the source prints them. */
    private static long writeShifted(Path source, long shift, boolean cycles, OutputStream o) throws IOException {
        long lines = 0;
        try (FtraceReader r = FtraceReader.open(source, WarningSink.IGNORE)) {
            while (r.next()) {
                FtraceLine l = r.line();
                o.write(l.buf, l.start, l.timeStart - l.start);
                long t = l.time + shift;
                String text = cycles ? Long.toString(t)
                    : String.format("%d.%06d", t / 1_000_000_000L, t % 1_000_000_000L / 1000);
                o.write(text.getBytes(StandardCharsets.US_ASCII));
                o.write(l.buf, l.timeEnd, l.end - l.timeEnd);
                o.write('\n');
                lines++;
            }
        }
        return lines;
    }

    /** Counts what passes through, so the repeating knows when the file is big enough. */
    private static final class Counter extends OutputStream {
        private final OutputStream o;
        long bytes;

        Counter(OutputStream o) {
            this.o = o;
        }

        @Override
        public void write(int b) throws IOException {
            o.write(b);
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            o.write(b, off, len);
            bytes += len;
        }
    }

    private static double wcSeconds(Path file, long expectLines) throws IOException, InterruptedException {
        Measure.Result r = Measure.run(List.of("wc", "-l", file.toString()));
        if (r.exit() != 0 || !r.output().trim().startsWith(expectLines + " ")) {
            throw new IllegalStateException("wc -l said '" + r.output().trim() + "', expected " + expectLines + " lines");
        }
        return r.seconds();
    }

    /** {wall seconds, CPU seconds of this whole process (the reader's worker threads too)} of a full read. */
    static double[] read(Path file) {
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
            if (r.unparsed() != 0 || sink == 42) { // the sink keeps the JIT from skipping the reads
                throw new IllegalStateException(file + ": " + r.unparsed() + " lines the reader could not parse");
            }
        }
        return new double[] {(System.nanoTime() - t0) / 1e9, (mx.getProcessCpuTime() - c0) / 1e9};
    }

    private static String loadAverage() {
        try {
            Path p = Path.of("/proc/loadavg");
            return Files.exists(p) ? Files.readString(p).trim() : "?";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void print(List<Result> results) {
        out.println();
        out.println("| source | MB | lines | wc -l MB/s best (median) | reader MB/s best (median) | reader MB per CPU-s best"
            + " | reader / wc -l best (median) |");
        out.println("|---|---:|---:|---:|---:|---:|---:|");
        for (Result r : results) {
            out.printf("| %s | %.0f | %d | %.0f (%.0f) | %.0f (%.0f) | %.0f | %.2f (%.2f) |%n", r.source(), r.bytes() / 1e6,
                r.lines(), max(r.wc()), median(r.wc()), max(r.reader()), median(r.reader()), max(r.readerCpu()),
                max(r.reader()) / max(r.wc()), median(r.reader()) / median(r.wc()));
        }
        out.printf("%nwc -l and a full read alternate on the same file after two warm-up reads (page cache warm);"
            + " the reader's CPU-s are the whole process's, its worker threads included. Load average after: %s%n",
            loadAverage());
        out.flush();
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
