package org.ptorder.ingest.ftrace;

/** What the non-event lines of an ftrace text said about the capture. */
public final class TraceHeader {
    /** Which tool wrote the text, judged from its first lines. */
    public enum Layout {
        /** {@code /sys/kernel/tracing/trace}: starts with {@code # tracer:}. */
        KERNEL,
        /** {@code trace-cmd report}: starts with {@code cpus=N} (or {@code version = N}). */
        TRACE_CMD,
        /** Neither header: perf script, trace_pipe, or a fragment. */
        BARE
    }

    public Layout layout = Layout.BARE;
    public String tracer;
    /** From {@code # entries-in-buffer/entries-written: A/B}; -1 when absent. */
    public long entriesInBuffer = -1;
    public long entriesWritten = -1;
    /** {@code #P:N} or {@code cpus=N}; -1 when absent. It counts CPUs online when the text was read. */
    public int cpus = -1;

    /** Events the ring buffer overwrote before the text was read (written minus kept), 0 if unknown. */
    public long overwritten() {
        return entriesInBuffer >= 0 && entriesWritten > entriesInBuffer ? entriesWritten - entriesInBuffer : 0;
    }

    /** Parses a {@code #} comment line; unknown comments are ignored. */
    void comment(String line) {
        if (line.startsWith("# tracer:")) {
            tracer = line.substring(9).trim();
            layout = Layout.KERNEL;
        }
        int e = line.indexOf("entries-in-buffer/entries-written:");
        if (e >= 0) {
            String rest = line.substring(e + "entries-in-buffer/entries-written:".length()).trim();
            int slash = rest.indexOf('/');
            int sp = rest.indexOf(' ');
            if (slash > 0) {
                entriesInBuffer = parse(rest.substring(0, slash));
                entriesWritten = parse(rest.substring(slash + 1, sp > slash ? sp : rest.length()));
            }
        }
        int p = line.indexOf("#P:");
        if (p >= 0) {
            cpus = (int) parse(line.substring(p + 3).trim());
        }
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Parses a trace-cmd preamble line such as {@code cpus=2}; false if it is not one. */
    boolean preamble(String line, boolean first) {
        if (line.startsWith("cpus=")) {
            cpus = (int) parse(line.substring(5));
            if (first || layout == Layout.BARE) {
                layout = Layout.TRACE_CMD;
            }
            return true;
        }
        if (line.startsWith("version = ") || line.startsWith("version=")) {
            if (first) {
                layout = Layout.TRACE_CMD;
            }
            return true;
        }
        // trace-cmd notes such as 'CPU 1 is empty' and 'CPU0 data recorded at offset=...'
        return line.startsWith("CPU ") && line.endsWith(" is empty") || line.startsWith("CPU") && line.contains(
            "data recorded at offset=") || line.startsWith("    ") && line.contains("bytes in size");
    }
}
