package org.ptorder.ingest.ftrace;

import static org.ptorder.ingest.ftrace.Swar.BRACKETS;
import static org.ptorder.ingest.ftrace.Swar.COLONS;
import static org.ptorder.ingest.ftrace.Swar.HIGHS;
import static org.ptorder.ingest.ftrace.Swar.NEWLINES;
import static org.ptorder.ingest.ftrace.Swar.ONES;
import static org.ptorder.ingest.ftrace.Swar.SPACES;
import static org.ptorder.ingest.ftrace.Swar.firstDigits;
import static org.ptorder.ingest.ftrace.Swar.lastDigits;
import static org.ptorder.ingest.ftrace.Swar.load;
import static org.ptorder.ingest.ftrace.Swar.nonDigits;

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
 * <p>
 * Speed: every scan stops at a newline too, so the reader can parse a line straight out of
 * its buffer before knowing where the line ends; long scans go eight bytes at a time (SWAR),
 * and each byte of a line is looked at about once. Lines in the columns of the line before
 * (the kernel's fixed-width layout) take the fast path of {@link FixedColumns} up to the
 * timestamp, which gives the same result as the general parse here.
 */
final class LineParser {
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};

    private final FixedColumns columns = new FixedColumns();

    /** After a failed parse: 1-based column where the line stopped making sense. */
    int column;
    /** After a failed parse: what should have been at {@link #column}. */
    String expected;

    /** Fills {@code l} from the line {@code b[s, e)} (no newline in it); false (see {@link #column}) if it is no event. */
    boolean parse(FtraceLine l, byte[] b, int s, int e) {
        return parseUpTo(l, b, s, e) >= 0;
    }

    /**
     * Parses the line starting at {@code s}, whose end is not known yet: it is the first newline
     * before {@code limit}, or {@code limit} itself. Returns the end (index of the newline or
     * {@code limit}), or -1 if the line is no event line (see {@link #column}).
     */
    int parseUpTo(FtraceLine l, byte[] b, int s, int limit) {
        l.buf = b;
        l.start = s;
        int colon = columns.parse(l, b, s, limit);
        if (colon < 0) {
            colon = parseHead(l, b, s, limit);
            if (colon < 0) {
                return -1;
            }
        }
        int n = colon + 1;
        while (n < limit && b[n] == ' ') {
            n++;
        }
        // The name runs to the ':' that ends the line or precedes a blank; an earlier ':' ends
        // a 'system:' prefix (perf script).
        l.nameStart = n;
        int k = nameEnd(b, n, limit);
        while (k >= 0 && b[k] == ':' && k + 1 < limit && !isBlankOrEnd(b[k + 1])) {
            l.nameStart = k + 1;
            k = nameEnd(b, k + 1, limit);
        }
        if (k < 0 || b[k] != ':' || k == l.nameStart) {
            return fail(s, n, "an event name followed by ': ' (e.g. 'xen_mc_flush: ')");
        }
        l.nameEnd = k;
        int f = k + 1;
        byte c;
        while (f < limit && ((c = b[f]) == ' ' || c == '\t')) {
            f++;
        }
        l.fieldsStart = f;
        int end = indexOf(b, f, limit, NEWLINES);
        l.end = end < 0 ? limit : end;
        l.kind = EventKind.lookup(b, l.nameStart, k);
        return l.end;
    }

    /** The general parse of comm, pid, CPU, flags and time; returns the index of the timestamp's ':' or -1. */
    private int parseHead(FtraceLine l, byte[] b, int s, int limit) {
        int p = skipSpaces(b, s, limit);
        int open = findCpuBracket(l, b, s, p, limit);
        if (open < 0) {
            return fail(s, p, "'TASK-PID [CPU]' (a comm, a dash, the pid and the CPU number in brackets)");
        }
        int q = open;
        while (q < limit && b[q] == ' ') {
            q++;
        }
        // Flags never start with a digit; the timestamp always does.
        l.flagsStart = q;
        if (q < limit && (b[q] < '0' || b[q] > '9')) {
            byte c;
            while (q < limit && (c = b[q]) != ' ' && c != '\t' && c != '\n') {
                q++;
            }
            l.flagsEnd = q;
            while (q < limit && ((c = b[q]) == ' ' || c == '\t')) {
                q++;
            }
        } else {
            l.flagsEnd = q;
        }
        int colon = parseTime(l, b, q, limit);
        if (colon < 0) {
            return fail(s, q, "a timestamp followed by ': ' (seconds.fraction, or clock cycles)");
        }
        l.timeStart = q;
        l.timeEnd = colon;
        columns.learn(l, b, open, colon);
        return colon;
    }

    /**
     * Finds '[digits]' preceded by blanks, the pid and a dash (or a blank): sets comm, pid and
     * cpu and returns the index after ']', or -1. Scans brackets left to right, so a bracket
     * inside a comm is skipped unless it looks exactly like the real one. Stops at a newline.
     */
    private static int findCpuBracket(FtraceLine l, byte[] b, int s, int p, int e) {
        // From the line start, not from p: only blanks lie between, and a search that starts at
        // the same column on every line takes the same branches on every line.
        for (int i = s; (i = indexOfEither(b, i, e, BRACKETS)) >= 0 && b[i] == '['; i++) {
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
            k = lastNonBlank(b, p, k);
            int digitsEnd = k + 1;
            if (k - 7 >= p) {
                // the pid's digits end the word that ends at k: count them without a loop
                k -= Long.numberOfLeadingZeros(nonDigits(load(b, k - 7))) >>> 3;
            }
            while (k >= p && b[k] >= '0' && b[k] <= '9') {
                k--;
            }
            int digits = digitsEnd - (k + 1);
            if (digits == 0 || digits > 9 || k < p || b[k] != '-' && b[k] != ' ') {
                continue;
            }
            int pid = 0;
            if (digits <= 8 && digitsEnd - 8 >= 0) {
                pid = (int) lastDigits(load(b, digitsEnd - 8), digits);
            } else {
                for (int d = k + 1; d < digitsEnd; d++) {
                    pid = pid * 10 + (b[d] - '0');
                }
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
            l.unknownComm = isUnknownComm(b, p, commEnd);
            l.pid = pid;
            l.cpu = cpu;
            return j + 1;
        }
        return -1;
    }

    /**
     * Parses the timestamp at b[from..]; returns the index of its ':' or -1. Digits are read
     * eight at a time: a whole word is classified and converted with three multiplications.
     */
    private static int parseTime(FtraceLine l, byte[] b, int from, int e) {
        long whole = 0;
        int i = from;
        int n;
        do {
            long w = word(b, i);
            n = Math.min(Long.numberOfTrailingZeros(nonDigits(w)) >>> 3, e - i);
            if (n > 0) {
                whole = whole * POW10[n] + firstDigits(w, n);
            }
            i += n;
        } while (n == 8 && i - from <= 18);
        if (i == from || i >= e || i - from > 18) { // 18 digits cannot overflow a long
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
        int digits = 0; // the first nine count (ns); any further digits are read and dropped
        do {
            long w = word(b, i);
            n = Math.min(Long.numberOfTrailingZeros(nonDigits(w)) >>> 3, e - i);
            int take = Math.min(n, 9 - digits);
            if (take > 0) {
                frac = frac * POW10[take] + firstDigits(w, take);
                digits += take;
            }
            i += n;
        } while (n == 8);
        if (i >= e || b[i] != ':') {
            return -1;
        }
        l.time = whole * 1_000_000_000L + frac * POW10[9 - digits];
        l.cycles = false;
        return endOfTime(b, i, e);
    }

    /** Eight bytes from b[i], first byte lowest; bytes past the array's end read as 0 (neither digit nor blank). */
    private static long word(byte[] b, int i) {
        if (i + 8 <= b.length) {
            return load(b, i);
        }
        long w = 0;
        for (int k = Math.min(b.length, i + 8) - 1; k >= i; k--) {
            w = w << 8 | (b[k] & 0xFF);
        }
        return w;
    }

    /** The ':' after a timestamp must be followed by a blank (or end the line). */
    private static int endOfTime(byte[] b, int colon, int e) {
        return colon + 1 == e || isBlankOrEnd(b[colon + 1]) ? colon : -1;
    }

    static boolean isBlankOrEnd(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** The comm printed for a pid whose name was not recorded. */
    static boolean isUnknownComm(byte[] b, int p, int commEnd) {
        return commEnd - p == 5 && b[p] == '<' && b[p + 1] == '.' && b[p + 2] == '.' && b[p + 3] == '.'
            && b[p + 4] == '>';
    }

    /** First index at or after i that is not a space (eight bytes at a time over the padding). */
    private static int skipSpaces(byte[] b, int i, int e) {
        while (i + 8 <= e) {
            long x = load(b, i) ^ SPACES;
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

    /** Index of the first byte equal to every byte of {@code pattern}, at or after i; -1 if none before e. */
    static int indexOf(byte[] b, int i, int e, long pattern) {
        while (i + 8 <= e) {
            long x = load(b, i) ^ pattern;
            long t = (x - ONES) & ~x & HIGHS;
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

    /** Like {@link #indexOf} but also stops at a newline (the caller looks at which it found). */
    private static int indexOfEither(byte[] b, int i, int e, long pattern) {
        while (i + 8 <= e) {
            long w = load(b, i);
            long x = w ^ pattern;
            long y = w ^ NEWLINES;
            long t = ((x - ONES) & ~x | (y - ONES) & ~y) & HIGHS;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
            i += 8;
        }
        byte c = (byte) pattern;
        for (; i < e; i++) {
            if (b[i] == c || b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** First ':', blank or newline at or after i (a name holds none of them), or -1. */
    private static int nameEnd(byte[] b, int i, int e) {
        while (i + 8 <= e) {
            long w = load(b, i);
            long x = w ^ COLONS;
            long y = w ^ NEWLINES;
            long z = w ^ SPACES;
            long t = ((x - ONES) & ~x | (y - ONES) & ~y | (z - ONES) & ~z) & HIGHS;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
            i += 8;
        }
        for (; i < e; i++) {
            byte c = b[i];
            if (c == ':' || c == ' ' || c == '\n' || c == '\t') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the last byte at or before k (and not before p) that is not a blank; p - 1 if none. */
    private static int lastNonBlank(byte[] b, int p, int k) {
        // the padding between pid and bracket is spaces: eight at a time, from the top byte down
        while (k - 7 >= p) {
            long x = load(b, k - 7) ^ SPACES;
            if (x != 0) {
                return k - (Long.numberOfLeadingZeros(x) >>> 3);
            }
            k -= 8;
        }
        while (k >= p && (b[k] == ' ' || b[k] == '\t')) {
            k--;
        }
        return k;
    }

    private int fail(int lineStart, int at, String what) {
        column = at - lineStart + 1;
        expected = what;
        return -1;
    }
}
