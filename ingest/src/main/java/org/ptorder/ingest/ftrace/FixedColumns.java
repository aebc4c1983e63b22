package org.ptorder.ingest.ftrace;

import static org.ptorder.ingest.ftrace.Swar.BRACKETS;
import static org.ptorder.ingest.ftrace.Swar.NEWLINES;
import static org.ptorder.ingest.ftrace.Swar.SPACES;
import static org.ptorder.ingest.ftrace.Swar.TABS;
import static org.ptorder.ingest.ftrace.Swar.ZEROS;
import static org.ptorder.ingest.ftrace.Swar.equal;
import static org.ptorder.ingest.ftrace.Swar.gather;
import static org.ptorder.ingest.ftrace.Swar.lastDigits;
import static org.ptorder.ingest.ftrace.Swar.load;
import static org.ptorder.ingest.ftrace.Swar.lowBytes;
import static org.ptorder.ingest.ftrace.Swar.nonDigits;

/**
 * The fast path of {@link LineParser} for layouts printed in fixed-width columns, above all the
 * kernel's own ({@code %16s-%-7d [%03d] flags %5lu.%06lu: }, or a bare cycle count instead of
 * the seconds): the dash before the pid, the CPU bracket, the flags and the timestamp's colon
 * are where they were on the line before. The general parse searches for each of them, and its
 * data-dependent branches (how long is this comm, this pid, this timestamp) cost more than the
 * bytes; here every byte up to the colon is checked at the column where the layout puts it,
 * eight at a time and with branches that go the same way on nearly every line.
 * <p>
 * A line that differs anywhere is left to the general parse, which then teaches these columns
 * its layout ({@link #learn}). So this path gives exactly what the general parse gives, or
 * nothing: it accepts a line only if every byte the general parse would look at is where the
 * layout says, and then the general parse would find the same parts.
 */
final class FixedColumns {
    // Columns, as offsets from the line start, of the line learnt last; dash < 0: none that fits.
    private int dash = -1;     // the dash before the pid; the comm ends there
    private int bracket;       // '[' before three CPU digits
    private int flagsWidth;    // 0: no flags (trace-cmd report)
    private int colon;         // the ':' after the timestamp
    private boolean cycles;    // a bare integer timestamp, else seconds and six fraction digits

    // The task part [0, bracket + 6) of the last line taken here, as four words (the last two
    // may overlap the first two), and what it gave. Most lines repeat it (the same task on the
    // same CPU as the line before), and the same bytes give the same parts.
    private boolean taskKnown;
    private long task0;
    private long task1;
    private long task2;
    private long task3;
    private int commOffset;
    private boolean unknownComm;
    private int pid;
    private int cpu;
    // The same for the word before the fraction (seconds clocks): the seconds change seldom.
    private boolean secondsKnown;
    private long secondsWord;
    private int secondsDigits;
    private long seconds;
    private long time; // of the line being parsed, from cycleCount or secondsTime

    /**
     * Fills comm, pid, CPU, flags and time of the line at {@code s} if it has the learnt columns;
     * returns the index of the timestamp's ':', or -1 (nothing decided: parse it in general).
     */
    int parse(FtraceLine l, byte[] b, int s, int limit) {
        int c = s + colon;
        if (dash < 0 || c + 2 > limit || !task(b, s)) {
            return -1;
        }
        int flags = s + bracket + 6;
        int flagsEnd = flagsWidth > 0 ? flagsEnd(b, flags) : flags - 1;
        if (flagsEnd < 0) {
            return -1;
        }
        int timeStart = cycles ? cycleCount(b, c) : secondsTime(b, c);
        if (timeStart < 0) {
            return -1;
        }
        // blanks between the flags (or the ']') and the timestamp: spaces only, one to eight
        int gap = timeStart - flagsEnd;
        if (gap < 1 || gap > 8 || ((load(b, flagsEnd) ^ SPACES) & lowBytes(gap)) != 0
            || !LineParser.isBlankOrEnd(b[c + 1])) {
            return -1;
        }
        l.commStart = s + commOffset;
        l.commEnd = s + dash;
        l.unknownComm = unknownComm;
        l.pid = pid;
        l.cpu = cpu;
        l.flagsStart = flagsWidth > 0 ? flags : timeStart;
        l.flagsEnd = flagsWidth > 0 ? flagsEnd : timeStart;
        l.timeStart = timeStart;
        l.timeEnd = c;
        l.time = time;
        l.cycles = cycles;
        return c;
    }

    /** Checks comm, pid and CPU of the line at {@code s} (or finds them as on the line before) and keeps them. */
    private boolean task(byte[] b, int s) {
        int end = bracket + 6;
        long w0 = load(b, s);
        long w1 = load(b, s + 8);
        long w2 = load(b, s + end - 16);
        long w3 = load(b, s + end - 8);
        return taskKnown && w0 == task0 && w1 == task1 && w2 == task2 && w3 == task3 || newTask(b, s, w0, w1, w2, w3);
    }

    /** Checks comm, pid and CPU of a line whose task part differs from the line before's; keeps them. */
    private boolean newTask(byte[] b, int s, long w0, long w1, long w2, long w3) {
        int d = dash;
        // The comm field [s, s + d): blanks, then the comm. No '[' (the general parse takes the
        // first bracket that fits, which must be ours) and no newline.
        int field = (1 << d) - 1; // d <= 16: a bit of the gathered tests per byte of the field
        int nonSpace = ~(gather(equal(w0, SPACES)) | gather(equal(w1, SPACES)) << 8) & field;
        int stops = (gather(equal(w0, BRACKETS) | equal(w0, NEWLINES))
            | gather(equal(w1, BRACKETS) | equal(w1, NEWLINES)) << 8) & field;
        // '-', then the pid's digits padded with spaces to the ' [' (at least one space)
        int pidWidth = bracket - d - 1;
        long pw = load(b, s + d + 1);
        int digits = Long.numberOfTrailingZeros(nonDigits(pw)) >>> 3;
        long padding = (pw ^ SPACES) & lowBytes(pidWidth) & ~lowBytes(Math.max(digits, 1));
        // '[', three CPU digits, '] '
        long bw = load(b, s + bracket);
        boolean cpuOk = (bw & 0x0000FFFF000000FFL) == 0x0000205D0000005BL && (nonDigits(bw) & 0x80808000L) == 0;
        if (nonSpace == 0 || stops != 0 || b[s + d] != '-' || digits == 0 || digits >= pidWidth || padding != 0
            || !cpuOk) {
            taskKnown = false;
            return false;
        }
        taskKnown = true;
        task0 = w0;
        task1 = w1;
        task2 = w2;
        task3 = w3;
        commOffset = Integer.numberOfTrailingZeros(nonSpace);
        unknownComm = LineParser.isUnknownComm(b, s + commOffset, s + d);
        pid = (int) Swar.firstDigits(pw, digits);
        cpu = (int) ((bw >>> 8 & 0xF) * 100 + (bw >>> 16 & 0xF) * 10 + (bw >>> 24 & 0xF));
        return true;
    }

    /** Non-blank flags at {@code flags} that do not start with a digit: returns where they end, or -1. */
    private int flagsEnd(byte[] b, int flags) {
        long fw = load(b, flags);
        long blanks = equal(fw, SPACES) | equal(fw, TABS) | equal(fw, NEWLINES);
        return (blanks & lowBytes(flagsWidth)) != 0 || (nonDigits(fw) & 0x80) == 0 ? -1 : flags + flagsWidth;
    }

    /** The cycle count that ends at the colon {@code c}: returns where it starts (the count in {@link #time}), or -1. */
    private int cycleCount(byte[] b, int c) {
        // the digits end at the colon: eight of them, or up to seven more before those
        long lo = load(b, c - 8);
        int n = Long.numberOfLeadingZeros(nonDigits(lo)) >>> 3;
        if (b[c] != ':' || n == 0) {
            return -1;
        }
        if (n < 8) {
            time = lastDigits(lo, n);
            return c - n;
        }
        long hi = load(b, c - 16);
        int m = Long.numberOfLeadingZeros(nonDigits(hi)) >>> 3;
        if (m == 8) {
            return -1;
        }
        time = (m == 0 ? 0 : lastDigits(hi, m) * 100_000_000L) + Swar.digitValue(lo - ZEROS);
        return c - 8 - m;
    }

    /**
     * Seconds, '.', six fraction digits (the general parse takes any number; the kernel prints six)
     * and the colon {@code c}: returns where they start (the time in {@link #time}), or -1.
     */
    private int secondsTime(byte[] b, int c) {
        long fw = load(b, c - 7);
        if ((fw & 0xFF000000000000FFL) != 0x3A0000000000002EL || (nonDigits(fw) & 0x0080808080808000L) != 0
            || !seconds(load(b, c - 15))) {
            return -1;
        }
        long fraction = Swar.digitValue(fw << 8 & 0xFFFFFFFFFFFF0000L); // the six digits, two zeros before
        time = seconds * 1_000_000_000L + fraction * 1000;
        return c - 7 - secondsDigits;
    }

    /** Checks the seconds, the word before the fraction's '.' (or finds it as on the line before), and keeps them. */
    private boolean seconds(long w) {
        if (secondsKnown && w == secondsWord) {
            return true;
        }
        int n = Long.numberOfLeadingZeros(nonDigits(w)) >>> 3;
        secondsKnown = n > 0 && n < 8;
        if (!secondsKnown) {
            return false;
        }
        secondsWord = w;
        secondsDigits = n;
        seconds = lastDigits(w, n);
        return true;
    }

    /**
     * Learns the columns of a line the general parse has split ({@code open}: just after its
     * ']'), if they fit this path; else this path stays off until a line that fits.
     */
    void learn(FtraceLine l, byte[] b, int open, int timeColon) {
        int s = l.start;
        int d = l.commEnd - s;
        int br = open - 5 - s;
        int f = l.flagsEnd - l.flagsStart;
        int c = timeColon - s;
        int flagsEnd = f > 0 ? br + 6 + f : br + 5;
        dash = -1;
        // the invariants parse() relies on to stay within [s, c + 1] and keep its masks whole
        boolean fits = b[s + d] == '-' && d >= 1 && d <= 16 && br - d - 1 >= 2 && br - d - 1 <= 8
            && br + 6 >= 16 && br + 6 <= 32 && b[s + br] == '[' && (f == 0 || l.flagsStart == s + br + 6 && f <= 6)
            && c >= 16 && c >= br + 14 && c - flagsEnd >= 8 && (l.cycles || b[timeColon - 7] == '.');
        taskKnown = false;
        secondsKnown = false;
        if (fits) {
            dash = d;
            bracket = br;
            flagsWidth = f;
            colon = c;
            cycles = l.cycles;
        }
    }
}
