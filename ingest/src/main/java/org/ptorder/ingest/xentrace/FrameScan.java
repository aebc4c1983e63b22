package org.ptorder.ingest.xentrace;

import java.util.Map;
import java.util.TreeMap;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.common.WarningSink;

/**
 * The validating pre-pass: hops from window header to window header (12 bytes read per window,
 * no record is touched) to find every pCPU and its first window before merging, and reports
 * damage to the framing exactly once. Memory: one entry per pCPU.
 */
public final class FrameScan {
    /** Per-pCPU facts from the window headers. */
    public record CpuFrames(int cpu, long firstWindow, long windows, long bytes) { }

    private final Map<Integer, long[]> perCpu = new TreeMap<>();
    private long windows;
    private long skippedBytes;
    private boolean truncated;

    private FrameScan() { }

    public static FrameScan scan(TraceFile file, WarningSink warnings) {
        long size = file.size();
        if (size == 0) {
            throw TraceInputException.atOffset(file.path(), 0,
                "empty file: expected a xentrace CPU-change record (header 0x2001f003)");
        }
        if (size < WindowChain.HEADER_BYTES || file.u32(0) != XenEvents.CPU_CHANGE_HEADER) {
            String found = size >= 4 ? String.format("0x%08x", file.u32(0)) : size + " byte(s)";
            throw TraceInputException.atOffset(file.path(), 0,
                "not a xentrace file: expected a CPU-change record (header word 0x2001f003), found " + found);
        }
        WindowChain chain = new WindowChain(file);
        if (chain.windowAt(0).offset() != 0) {
            throw TraceInputException.atOffset(file.path(), 0,
                "not a xentrace file: the CPU-change record at offset 0 names an impossible CPU or window size");
        }
        FrameScan s = new FrameScan();
        long at = 0;
        while (at < size) {
            WindowChain.Window w = chain.windowAt(at);
            if (w == null) {
                if (chain.hasPartialHeader(at)) {
                    warnings.warn(at, -1, "truncated_header", (size - at)
                        + " byte(s) at end of file, too short for a 12-byte CPU-change record; ignored");
                    s.truncated = true;
                } else {
                    warnings.warn(at, -1, "corrupt_window_header", String.format(
                        "expected a CPU-change record (0x2001f003), found 0x%08x; no valid window follows,"
                            + " %d byte(s) to end of file ignored", file.u32(at), size - at));
                }
                s.skippedBytes += size - at;
                break;
            }
            if (w.skippedBefore() > 0) {
                warnings.warn(at, -1, "corrupt_window_header", String.format(
                    "expected a CPU-change record (0x2001f003), found 0x%08x; skipped %d byte(s) to the next"
                        + " valid window at offset %d", file.u32(at), w.skippedBefore(), w.offset()));
                s.skippedBytes += w.skippedBefore();
            }
            if (w.truncated()) {
                warnings.warn(w.offset(), w.cpu(), "truncated_window", String.format(
                    "window for pCPU %d claims %d bytes but only %d remain in the file; read what is there",
                    w.cpu(), w.claimed(), w.bytes()));
                s.truncated = true;
            }
            long[] c = s.perCpu.computeIfAbsent(w.cpu(), k -> new long[] {w.offset(), 0, 0});
            c[1]++;
            c[2] += w.bytes();
            s.windows++;
            at = w.end();
        }
        return s;
    }

    public Iterable<CpuFrames> cpus() {
        return perCpu.entrySet().stream()
            .map(e -> new CpuFrames(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
            .toList();
    }

    public int cpuCount() {
        return perCpu.size();
    }

    public long windows() {
        return windows;
    }

    public long skippedBytes() {
        return skippedBytes;
    }

    public boolean truncated() {
        return truncated;
    }
}
