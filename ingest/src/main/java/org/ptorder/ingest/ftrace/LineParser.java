package org.ptorder.ingest.ftrace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Splits one event line into its parts, by hand rather than by regex (a regex per line was
 * several times slower than the rest of ingest together). Accepts the three layouts of
 * reference/xentrace.md §6.3:
 * <pre>
 *   kernel trace:      '           bash-1712    [002] d..2.   512.004102: xen_mc_batch: start batch LAZY_MMU'
 *   trace-cmd report:  '           bash-1712  [002]   512.004102: xen_mc_batch:         start batch LAZY_NONE'
 *   perf script:       '           bash  1712 [002]   512.004102: xen:xen_mc_batch: start batch LAZY_MMU'
 * </pre>
 * The comm may hold spaces and dashes, so the pid is found by walking back from the CPU
 * bracket, and the comm ends at the dash (or blank, for perf) before it. Flags are optional
 * and of any width (0, 4 or 5 characters in practice). The timestamp is either seconds with a
 * fraction (any number of digits) or a bare integer counter (x86-tsc and similar clocks).
 */
final class LineParser {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    /** After a failed {@link #parse}: 1-based column where the line stopped making sense. */
    int column;
    /** After a failed {@link #parse}: what should have been at {@link #column}. */
    String expected;

    /** Fills {@code l} from {@code b[s, e)}; false (with {@link #column}, {@link #expected}) if it is no event line. */
    boolean parse(FtraceLine l, byte[] b, int s, int e) {
        l.buf = b;
        l.start = s;
        l.end = e;
        int p = skipSpaces(b, s, e);
        int open = findCpuBracket(l, b, p, e);
        if (open < 0) {
            return fail(s, p, "'TASK-PID [CPU]' (a comm, a dash, the pid and the CPU number in brackets)");
        }
        int q = open;
        while (q < e && b[q] == ' ') {
            q++;
        }
        // Flags never start with a digit; the timestamp always does.
        l.flagsStart = q;
        if (q < e && (b[q] < '0' || b[q] > '9')) {
            while (q < e && b[q] != ' ' && b[q] != '\t') {
                q++;
            }
            l.flagsEnd = q;
            while (q < e && (b[q] == ' ' || b[q] == '\t')) {
                q++;
            }
        } else {
            l.flagsEnd = q;
        }
        int colon = parseTime(l, b, q, e);
        if (colon < 0) {
            return fail(s, q, "a timestamp followed by ': ' (seconds.fraction, or clock cycles)");
        }
        l.timeStart = q;
        l.timeEnd = colon;
        int n = colon + 1;
        while (n < e && b[n] == ' ') {
            n++;
        }
        // The name runs to the ':' that ends the line or precedes a blank; an earlier ':' ends
        // a 'system:' prefix (perf script).
        l.nameStart = n;
        int k = indexOf(b, n, e, COLONS);
        while (k >= 0 && k + 1 < e && b[k + 1] != ' ' && b[k + 1] != '\t') {
            l.nameStart = k + 1;
            k = indexOf(b, k + 1, e, COLONS);
        }
        if (k < 0 || k == l.nameStart || hasBlank(b, l.nameStart, k)) {
            return fail(s, n, "an event name followed by ': ' (e.g. 'xen_mc_flush: ')");
        }
        l.nameEnd = k;
        int f = k + 1;
        while (f < e && (b[f] == ' ' || b[f] == '\t')) {
            f++;
        }
        l.fieldsStart = f;
        l.kind = EventKind.lookup(b, l.nameStart, k);
        return true;
    }

    private static final long COLONS = 0x3A3A3A3A3A3A3A3AL;
    private static final long BRACKETS = 0x5B5B5B5B5B5B5B5BL;

    /** Index of the first byte at or after i equal to every byte of {@code pattern}, or -1 (SWAR). */
    private static int indexOf(byte[] b, int i, int e, long pattern) {
        while (i + 8 <= e) {
            long x = (long) LONGS.get(b, i) ^ pattern;
            long t = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
            i += 8;
        }
        byte c = (byte) pattern;
        for (; i < e; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean hasBlank(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ' ' || b[i] == '\t') {
                return true;
            }
        }
        return false;
    }

    /** First index at or after i that is not a blank (eight bytes at a time over the padding). */
    private static int skipSpaces(byte[] b, int i, int e) {
        while (i + 8 <= e) {
            long x = (long) LONGS.get(b, i) ^ 0x2020202020202020L;
            if (x != 0) {
                return i + (Long.numberOfTrailingZeros(x) >>> 3);
            }
            i += 8;
        }
        while (i < e && b[i] == ' ') {
            i++;
        }
        return i;
    }

    /**
     * Finds '[digits]' preceded by blanks, the pid and a dash (or a blank): sets comm, pid and
     * cpu and returns the index after ']', or -1. Scans brackets left to right, so a bracket
     * inside a comm is skipped unless it looks exactly like the real one.
     */
    private static int findCpuBracket(FtraceLine l, byte[] b, int p, int e) {
        for (int i = p; (i = indexOf(b, i, e, BRACKETS)) >= 0; i++) {
            int j = i + 1;
            int cpu = 0;
            while (j < e && b[j] >= '0' && b[j] <= '9') {
                cpu = cpu * 10 + (b[j++] - '0');
            }
            if (j == i + 1 || j >= e || b[j] != ']' || cpu > 65535) {
                continue;
            }
            int k = i - 1;
            if (k < p || b[k] != ' ' && b[k] != '\t') {
                continue;
            }
            while (k >= p && (b[k] == ' ' || b[k] == '\t')) {
                k--;
            }
            int digitsEnd = k + 1;
            int pid = 0;
            int mult = 1;
            while (k >= p && b[k] >= '0' && b[k] <= '9' && mult <= 1_000_000_000) {
                pid += (b[k--] - '0') * mult;
                mult *= 10;
            }
            if (k + 1 == digitsEnd || k < p || b[k] != '-' && b[k] != ' ') {
                continue;
            }
            int commEnd = k;
            if (b[k] == ' ') {
                while (commEnd > p && b[commEnd - 1] == ' ') {
                    commEnd--;
                }
            }
            if (commEnd <= p) {
                continue;
            }
            l.commStart = p;
            l.commEnd = commEnd;
            l.unknownComm = commEnd - p == 5 && b[p] == '<' && b[p + 1] == '.' && b[p + 2] == '.' && b[p + 3] == '.'
                && b[p + 4] == '>';
            l.pid = pid;
            l.cpu = cpu;
            return j + 1;
        }
        return -1;
    }

    /** Parses the timestamp at b[from..]; returns the index of its ':' or -1. */
    private static int parseTime(FtraceLine l, byte[] b, int from, int e) {
        long whole = 0;
        int i = from;
        while (i < e && b[i] >= '0' && b[i] <= '9') {
            if (whole > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            whole = whole * 10 + (b[i++] - '0');
        }
        if (i == from || i >= e) {
            return -1;
        }
        if (b[i] == ':') {
            l.time = whole;
            l.cycles = true;
            return endOfTime(b, i, e);
        }
        if (b[i] != '.' || whole > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return -1;
        }
        i++;
        long frac = 0;
        int digits = 0;
        for (; i < e && b[i] >= '0' && b[i] <= '9'; i++) {
            if (digits < 9) {
                frac = frac * 10 + (b[i] - '0');
                digits++;
            }
        }
        if (i >= e || b[i] != ':') {
            return -1;
        }
        l.time = whole * 1_000_000_000L + frac * POW10[9 - digits];
        l.cycles = false;
        return endOfTime(b, i, e);
    }

    /** The ':' after a timestamp must be followed by a blank (or end the line). */
    private static int endOfTime(byte[] b, int colon, int e) {
        return colon + 1 == e || b[colon + 1] == ' ' || b[colon + 1] == '\t' ? colon : -1;
    }

    private boolean fail(int lineStart, int at, String what) {
        column = at - lineStart + 1;
        expected = what;
        return false;
    }
}
