package org.ptorder.ingest.pmap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import org.ptorder.ingest.common.TimeBase;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.MmuOpSource;
import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.pmap.PmtHeader.Clock;
import org.ptorder.ingest.xentrace.Hypercalls;

/**
 * Streaming reader of the pmap text trace format (.pmt; README-pmt.md is the reference). The
 * header is read when the reader is made; events are then parsed one line per {@link #next}.
 * Anything the format does not allow stops the read with a {@link TraceInputException} naming the
 * line and the 1-based column (in bytes) of the offending token and saying what was expected
 * there. The one thing that is only a warning is time running backwards across CPUs, which is
 * allowed but usually means unsorted dtrace output.
 *
 * <p>The per-line path works on the raw bytes: no regular expressions, no per-token Strings
 * (names and tags go through an {@link Interner}).
 */
public final class PmtReader implements MmuOpSource {
    private static final ByteNames<Op> OPS;
    private static final ByteNames<PmtKey> KEYS;
    private static final ByteNames<Integer> HYPERCALLS;
    private static final String OP_LIST;

    static {
        Map<String, Op> ops = new HashMap<>();
        StringJoiner list = new StringJoiner(", ");
        for (Op o : Op.values()) {
            ops.put(o.text(), o);
            list.add(o.text());
        }
        OPS = new ByteNames<>(ops);
        OP_LIST = list.toString();
        Map<String, PmtKey> keys = new HashMap<>();
        for (PmtKey k : PmtKey.values()) {
            keys.put(k.text, k);
        }
        KEYS = new ByteNames<>(keys);
        Map<String, Integer> hc = new HashMap<>();
        for (int i = 0; i <= Hypercalls.maxOp(); i++) {
            if (Hypercalls.name(i) != null) {
                hc.put(Hypercalls.name(i), i);
            }
        }
        HYPERCALLS = new ByteNames<>(hc);
    }

    private final Path file;
    private final InputStream in;
    private final LineReader lines;
    private final WarningSink warnings;
    private final Interner names = new Interner();
    private final MmuOp op = new MmuOp();
    private final PmtHeader header;
    private final TimeBase cycles;
    private final int cpuLimit;

    private boolean pending;
    private long seq;
    private long origin;
    private boolean originKnown;
    private final long[] lastTime = new long[PmtHeader.MAX_CPUS];
    private final long[] lastLine = new long[PmtHeader.MAX_CPUS];
    private static final int DETAILED_WARNINGS = 4096;
    private long timeOrderWarnings;
    private long maxTime = Long.MIN_VALUE;
    private long maxTimeLine;
    private int maxTimeCpu;
    private int maxCpu = -1;
    private long minTsc = MmuOp.NONE;
    private long maxTsc = MmuOp.NONE;

    /**
     * Reads the header from {@code in} (already decompressed).
     *
     * @param file          named in messages only
     * @param cpuHzFallback cycles per second for {@code clock=cycles} files without {@code hz=}; 0 if none
     */
    public PmtReader(Path file, InputStream in, long cpuHzFallback, WarningSink warnings) {
        this.file = file;
        this.in = in;
        this.lines = new LineReader(in);
        this.warnings = warnings;
        Arrays.fill(lastTime, Long.MIN_VALUE);
        this.header = new HeaderParser().parse(cpuHzFallback);
        this.cpuLimit = header.cpus() > 0 ? header.cpus() : PmtHeader.MAX_CPUS;
        if (header.origin() != MmuOp.NONE) {
            origin = header.origin();
            originKnown = true;
        }
        this.cycles = header.clock() == Clock.CYCLES && header.hz() > 0 ? new TimeBase(0, header.hz()) : null;
    }

    public PmtHeader header() {
        return header;
    }

    @Override
    public boolean next() {
        while (pending || advance()) {
            pending = false;
            byte[] b = lines.buf;
            int i = skipBlanks(b, lines.start, lines.end);
            if (i == lines.end || b[i] == '#') {
                if (i == lines.start && lines.end - i >= 2 && b[i + 1] == '!') {
                    throw fail(1, "expected an event line; found a '#!' directive after the first event"
                        + " (directives belong in the header)");
                }
                continue;
            }
            parseEvent(b, i, lines.end);
            return true;
        }
        return false;
    }

    @Override
    public MmuOp op() {
        return op;
    }

    /** Events read so far. */
    public long events() {
        return seq;
    }

    /** Highest CPU number seen, -1 before the first event. */
    public int maxCpu() {
        return maxCpu;
    }

    /** Smallest and largest {@code tsc} of the events read so far; {@link MmuOp#NONE} if none had one. */
    public long minTsc() {
        return minTsc;
    }

    public long maxTsc() {
        return maxTsc;
    }

    /** Whether {@code ts} is filled in (false for {@code clock=cycles} without a known rate). */
    public boolean hasNs() {
        return header.clock() != Clock.CYCLES || cycles != null;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean advance() {
        try {
            return lines.next();
        } catch (LineReader.LineTooLong e) {
            throw TraceInputException.atLine(file, lines.lineNo, 0,
                "expected lines of at most " + LineReader.MAX_LINE + " bytes; found a longer one");
        } catch (IOException e) {
            throw TraceInputException.readError(file, lines.lineNo, e);
        }
    }

    // ---------------------------------------------------------------- events

    private void parseEvent(byte[] b, int i, int end) {
        int s = lines.start;
        op.clear();
        op.srcLine = lines.lineNo;

        int te = tokenEnd(b, i, end);
        long time = u64(b, i, te);
        if (numStatus != NUM_OK) {
            throw numberError(b, i, te, "a time (decimal, or hex with 0x)",
                "a time below 2^63");
        }
        if (time < 0) {
            throw fail(col(i), "expected a time below 2^63; found " + show(b, i, te));
        }
        int timeCol = col(i);

        i = skipBlanks(b, te, end);
        if (i == end) {
            throw fail(col(i), "expected a CPU number after the time; found end of line");
        }
        te = tokenEnd(b, i, end);
        int cpu = cpuNumber(b, i, te, "");
        op.cpu = cpu;
        checkTime(cpu, time, timeCol);

        i = skipBlanks(b, te, end);
        if (i == end) {
            throw fail(col(i), "expected an op after the CPU; found end of line");
        }
        te = tokenEnd(b, i, end);
        Op o = OPS.get(b, i, te);
        if (o == null) {
            throw fail(col(i), "expected an op (" + OP_LIST + "); found " + show(b, i, te));
        }
        op.op = o;

        long allowed = PmtGrammar.allowedBits(o);
        long seen = 0;
        while (true) {
            i = skipBlanks(b, te, end);
            if (i == end || b[i] == '#') {
                break; // end of line, or a trailing comment
            }
            te = tokenEnd(b, i, end);
            int eq = indexOf(b, i, te, (byte) '=');
            if (eq < 0) {
                throw fail(col(i), "expected key=value; found " + show(b, i, te));
            }
            PmtKey key = KEYS.get(b, i, eq);
            if (key == null || (allowed & key.bit()) == 0) {
                throw fail(col(i), "expected a key of " + o.text() + " (" + PmtGrammar.describe(o) + "); found "
                    + show(b, i, eq));
            }
            if ((seen & key.bit()) != 0) {
                throw fail(col(i), "expected each key once; found a second " + key.text + "=");
            }
            if (key == PmtKey.TSC && header.clock() == Clock.CYCLES) {
                throw fail(col(i), "expected no tsc= with clock=cycles (the time column is the cycle count);"
                    + " found tsc=");
            }
            seen |= key.bit();
            if (eq + 1 == te) {
                throw fail(col(eq + 1), "expected a value after " + key.text + "=; found nothing");
            }
            value(key, b, eq + 1, te);
        }
        long missing = PmtGrammar.requiredBits(o) & ~seen;
        if (missing != 0) {
            PmtKey first = PmtKey.values()[Long.numberOfTrailingZeros(missing)];
            throw fail(end - s + 1, "expected " + first.text + "= on every " + o.text() + " event; found end of line");
        }
        if (o == Op.ENQ && op.kind == null) {
            op.kind = "pt";
        }
        if (o == Op.FLUSH && op.done != MmuOp.NONE && Long.compareUnsigned(op.done, op.n) > 0) {
            throw fail(keyCol(b, s, end, "done="), "expected done <= n (" + Long.toUnsignedString(op.n) + "); found "
                + Long.toUnsignedString(op.done));
        }
        stamp(time);
        op.seq = seq++;
    }

    /** Per-CPU order is a format rule; cross-CPU order is only expected, so it gets a warning. */
    private void checkTime(int cpu, long time, int timeCol) {
        if (time < lastTime[cpu]) {
            throw fail(timeCol, "expected a time >= " + lastTime[cpu] + " (the previous event of cpu " + cpu
                + ", line " + lastLine[cpu] + "); found " + time);
        }
        lastTime[cpu] = time;
        lastLine[cpu] = lines.lineNo;
        if (time < maxTime) {
            // Every occurrence is counted, but past the first few thousand nobody reads the text.
            warnings.warn(lines.lineNo, cpu, "time_order", timeOrderWarnings++ >= DETAILED_WARNINGS ? ""
                : "time " + time + " on cpu " + cpu + " is earlier than time " + maxTime + " (line " + maxTimeLine
                + ", cpu " + maxTimeCpu + "): events are not in time order across CPUs, so seq (file order) is not"
                + " time order; sort the events by time (README-pmt.md, dtrace)");
        } else {
            maxTime = time;
            maxTimeLine = lines.lineNo;
            maxTimeCpu = cpu;
        }
        if (cpu > maxCpu) {
            maxCpu = cpu;
        }
    }

    private void stamp(long time) {
        if (!originKnown) {
            origin = time;
            originKnown = true;
        }
        switch (header.clock()) {
            case NS:
                op.ts = time - origin;
                break;
            case US:
                try {
                    op.ts = Math.multiplyExact(time - origin, 1000L);
                } catch (ArithmeticException e) {
                    throw fail(1, "expected a time that fits in 64 bits as ns; found " + time + " us");
                }
                break;
            default:
                op.tsc = time;
                op.ts = cycles == null ? MmuOp.NONE : cycles.nsOrMin(time - origin);
        }
        if (op.tsc != MmuOp.NONE) {
            minTsc = minTsc == MmuOp.NONE || Long.compareUnsigned(op.tsc, minTsc) < 0 ? op.tsc : minTsc;
            maxTsc = maxTsc == MmuOp.NONE || Long.compareUnsigned(op.tsc, maxTsc) > 0 ? op.tsc : maxTsc;
        }
    }

    private void value(PmtKey key, byte[] b, int from, int to) {
        switch (key.type) {
            case U64: {
                long v = u64(b, from, to);
                if (numStatus != NUM_OK) {
                    throw numberError(b, from, to, "a number (decimal, or hex with 0x) for " + key.text + "=",
                        "a number below 2^64 for " + key.text + "=");
                }
                if (v == MmuOp.NONE) {
                    throw fail(col(from), "expected a value other than 0x8000000000000000 for " + key.text
                        + "= (ptorder reserves it for 'absent'); found 0x8000000000000000");
                }
                key.setLong(op, v);
                break;
            }
            case FLAG:
                if (to - from != 1 || (b[from] != '0' && b[from] != '1')) {
                    throw fail(col(from), "expected 0 or 1 for " + key.text + "=; found " + show(b, from, to));
                }
                key.setLong(op, b[from] - '0');
                break;
            case LEVEL: {
                long v = u64(b, from, to);
                if (numStatus != NUM_OK) {
                    throw numberError(b, from, to, "a page-table level 1-4 for level=",
                        "a page-table level 1-4 for level=");
                }
                if (v < 1 || v > 4) {
                    throw fail(col(from), "expected a page-table level 1-4 for level=; found " + show(b, from, to));
                }
                key.setLong(op, v);
                break;
            }
            case CPU:
                key.setLong(op, cpuNumber(b, from, to, " for " + key.text + "="));
                break;
            case CPUSET:
                key.setSet(op, cpuSet(key, b, from, to));
                break;
            case WORD: {
                String w = names.get(b, from, to);
                for (String ok : key.words()) {
                    if (ok.equals(w)) {
                        key.setText(op, ok);
                        return;
                    }
                }
                throw fail(col(from), "expected " + key.text + "= " + String.join(", ", key.words()) + "; found "
                    + show(b, from, to));
            }
            case NAME:
                key.setText(op, names.get(b, from, to));
                break;
            case HCOP: {
                if (b[from] >= '0' && b[from] <= '9') {
                    long v = u64(b, from, to);
                    if (numStatus != NUM_OK) {
                        throw numberError(b, from, to, "a hypercall number or name for op=",
                            "a hypercall number below 2^31 for op=");
                    }
                    if (v < 0 || v > Integer.MAX_VALUE) {
                        throw fail(col(from), "expected a hypercall number below 2^31 for op=; found "
                            + show(b, from, to));
                    }
                    key.setLong(op, v);
                } else {
                    Integer n = HYPERCALLS.get(b, from, to);
                    if (n == null) {
                        throw fail(col(from), "expected a hypercall number or name (mmu_update, mmuext_op, ...)"
                            + " for op=; found " + show(b, from, to));
                    }
                    key.setLong(op, n);
                }
                break;
            }
            default:
                throw new IllegalStateException();
        }
    }

    private int cpuNumber(byte[] b, int from, int to, String what) {
        long v = u64(b, from, to);
        if (numStatus != NUM_OK) {
            throw numberError(b, from, to, "a CPU number (decimal, or hex with 0x)" + what,
                "a CPU number below " + cpuLimitText() + what);
        }
        if (v < 0 || v >= cpuLimit) {
            throw fail(col(from), "expected a CPU number below " + cpuLimitText() + what + "; found "
                + show(b, from, to));
        }
        return (int) v;
    }

    private String cpuLimitText() {
        return header.cpus() > 0 ? header.cpus() + " (cpus=" + header.cpus() + ")" : String.valueOf(PmtHeader.MAX_CPUS);
    }

    /** {@code 0,2-3} (decimal elements and ranges) or {@code 0xd} (a bit mask; {@code 0x0} is the empty set). */
    private BitSet cpuSet(PmtKey key, byte[] b, int from, int to) {
        BitSet set = new BitSet();
        if (to - from > 2 && b[from] == '0' && (b[from + 1] == 'x' || b[from + 1] == 'X')) {
            long bits = u64(b, from, to);
            if (numStatus != NUM_OK) {
                throw numberError(b, from, to, "a CPU list (0,2-3) or hex bit mask (0xd) for " + key.text + "=",
                    "a bit mask of at most 64 bits for " + key.text + "=");
            }
            if (bits != 0 && 63 - Long.numberOfLeadingZeros(bits) >= cpuLimit) {
                throw fail(col(from), "expected CPUs below " + cpuLimitText() + " in " + key.text + "=; found CPU "
                    + (63 - Long.numberOfLeadingZeros(bits)) + " in " + show(b, from, to));
            }
            set = BitSet.valueOf(new long[] {bits});
            return set;
        }
        int i = from;
        while (true) {
            int e = i;
            while (e < to && b[e] != ',' && b[e] != '-') {
                e++;
            }
            int lo = listCpu(key, b, i, e);
            int hi = lo;
            if (e < to && b[e] == '-') {
                int r = e + 1;
                int re = r;
                while (re < to && b[re] != ',' && b[re] != '-') {
                    re++;
                }
                hi = listCpu(key, b, r, re);
                if (hi < lo) {
                    throw fail(col(i), "expected a range low-high with low <= high in " + key.text + "=; found "
                        + show(b, i, re));
                }
                e = re;
                if (e < to && b[e] == '-') {
                    throw fail(col(e), "expected ',' or the end of the CPU list in " + key.text + "=; found '-'");
                }
            }
            set.set(lo, hi + 1);
            if (e == to) {
                return set;
            }
            i = e + 1; // past ','
            if (i == to) {
                throw fail(col(i), "expected a CPU number after ',' in " + key.text + "=; found nothing");
            }
        }
    }

    private int listCpu(PmtKey key, byte[] b, int from, int to) {
        if (from == to) {
            throw fail(col(from), "expected a CPU number in the list " + key.text + "=; found "
                + (from < lines.end && !isBlank(b[from]) ? "'" + (char) b[from] + "'" : "nothing"));
        }
        for (int i = from; i < to; i++) {
            if (b[i] < '0' || b[i] > '9') {
                throw fail(col(from), "expected a CPU list (0,2-3) or hex bit mask (0xd) for " + key.text + "=; found "
                    + show(b, from, to));
            }
        }
        return cpuNumber(b, from, to, " for " + key.text + "=");
    }

    // ---------------------------------------------------------------- header

    /** Reads line 1, the directives and comments, and stops at the first event line (left pending). */
    private final class HeaderParser {
        private final Map<String, Long> seenAt = new HashMap<>();
        private final Map<String, String> extensions = new LinkedHashMap<>();
        private int cpus = -1;
        private Clock clock;
        private String system;
        private long hz;
        private long hzLine;
        private int hzCol;
        private long origin = MmuOp.NONE;

        PmtHeader parse(long cpuHzFallback) {
            if (!advance()) {
                throw TraceInputException.atLine(file, 1, 1,
                    "expected the format header '#! ptorder-pmap 1'; found an empty file");
            }
            formatLine();
            while (advance()) {
                byte[] b = lines.buf;
                int i = skipBlanks(b, lines.start, lines.end);
                if (i == lines.end) {
                    continue;
                }
                if (b[i] == '#') {
                    if (i == lines.start && lines.end - i >= 2 && b[i + 1] == '!') {
                        directives(b, i + 2, lines.end);
                    }
                    continue;
                }
                pending = true;
                break;
            }
            if (hz > 0 && clock != Clock.CYCLES) {
                throw TraceInputException.atLine(file, hzLine, hzCol, "expected hz= only with clock=cycles (clock="
                    + (clock == null ? "ns, the default" : clock.text()) + " needs no rate); found hz=");
            }
            long rate = hz > 0 ? hz : cpuHzFallback;
            return new PmtHeader(PmtHeader.VERSION, cpus, clock == null ? Clock.NS : clock, system,
                clock == Clock.CYCLES ? Math.max(rate, 0) : 0, origin, Map.copyOf(extensions));
        }

        private void formatLine() {
            byte[] b = lines.buf;
            int s = lines.start;
            int e = lines.end;
            byte[] magic = {'#', '!', ' ', 'p', 't', 'o', 'r', 'd', 'e', 'r', '-', 'p', 'm', 'a', 'p'};
            boolean ok = e - s >= magic.length && Arrays.equals(b, s, s + magic.length, magic, 0,
                magic.length) && (e - s == magic.length || isBlank(b[s + magic.length]));
            if (!ok) {
                throw fail(1, "expected the format header '#! ptorder-pmap 1' as the first line; found "
                    + show(b, s, Math.min(e, s + 40)));
            }
            int i = skipBlanks(b, s + magic.length, e);
            if (i == e) {
                throw fail(col(i), "expected a format version after 'ptorder-pmap'; found end of line");
            }
            int te = tokenEnd(b, i, e);
            if (te - i != 1 || b[i] != '1') {
                throw fail(col(i), "expected format version 1 (the only version this reader knows); found "
                    + show(b, i, te));
            }
            i = skipBlanks(b, te, e);
            if (i < e) {
                throw fail(col(i), "expected end of line after the format version; found " + show(b, i, tokenEnd(b, i, e)));
            }
        }

        private void directives(byte[] b, int i, int end) {
            while (true) {
                i = skipBlanks(b, i, end);
                if (i == end) {
                    return;
                }
                int te = tokenEnd(b, i, end);
                int eq = indexOf(b, i, te, (byte) '=');
                if (eq < 0) {
                    if (Arrays.equals(b, i, te, "ptorder-pmap".getBytes(), 0, 12)) {
                        throw fail(col(i), "expected key=value directives; found a second format header"
                            + " (one trace per file: concatenated traces are not supported)");
                    }
                    throw fail(col(i), "expected a directive key=value; found " + show(b, i, te));
                }
                String key = names.get(b, i, eq);
                Long first = seenAt.putIfAbsent(key, lines.lineNo);
                if (first != null) {
                    throw fail(col(i), "expected each directive once; found a second " + key + "= (first on line "
                        + first + ")");
                }
                if (eq + 1 == te) {
                    throw fail(col(eq + 1), "expected a value after " + key + "=; found nothing");
                }
                directive(key, b, i, eq + 1, te);
                i = te;
            }
        }

        private void directive(String key, byte[] b, int keyAt, int from, int to) {
            String v = names.get(b, from, to);
            switch (key) {
                case "cpus": {
                    long n = u64(b, from, to);
                    if (numStatus != NUM_OK) {
                        throw numberError(b, from, to, "a CPU count for cpus=",
                            "cpus= between 1 and " + PmtHeader.MAX_CPUS);
                    }
                    if (n < 1 || n > PmtHeader.MAX_CPUS) {
                        throw fail(col(from), "expected cpus= between 1 and " + PmtHeader.MAX_CPUS + "; found " + show(b, from, to));
                    }
                    cpus = (int) n;
                    break;
                }
                case "clock":
                    for (Clock c : Clock.values()) {
                        if (c.text().equals(v)) {
                            clock = c;
                            return;
                        }
                    }
                    throw fail(col(from), "expected clock= ns, us or cycles; found " + show(b, from, to));
                case "system":
                    for (String sys : PmtHeader.SYSTEMS) {
                        if (sys.equals(v)) {
                            system = sys;
                            return;
                        }
                    }
                    throw fail(col(from), "expected system= " + String.join(" or ", PmtHeader.SYSTEMS) + "; found "
                        + show(b, from, to));
                case "hz":
                    try {
                        hz = TimeBase.parseHz(v);
                    } catch (IllegalArgumentException e) {
                        throw fail(col(from), "expected hz= as cycles per second (e.g. 2095996000, 2.1G); found "
                            + show(b, from, to));
                    }
                    hzLine = lines.lineNo;
                    hzCol = col(keyAt);
                    break;
                case "origin": {
                    long o = u64(b, from, to);
                    if (numStatus != NUM_OK) {
                        throw numberError(b, from, to, "a time (decimal, or hex with 0x) for origin=",
                            "origin= below 2^63");
                    }
                    if (o < 0) {
                        throw fail(col(from), "expected origin= below 2^63; found " + show(b, from, to));
                    }
                    origin = o;
                    break;
                }
                default:
                    if (key.startsWith("x-") && key.length() > 2) {
                        extensions.put(key, v);
                        break;
                    }
                    throw fail(col(keyAt), "expected a directive (cpus=, clock=, system=, hz=, origin=, or x-NAME="
                        + " for extensions); found " + show(b, keyAt, from - 1));
            }
        }
    }

    // ---------------------------------------------------------------- tokens and numbers

    /** {@link #u64} outcome: the number, not a number, or more than 64 bits. */
    private static final int NUM_OK = 0;
    private static final int NUM_SYNTAX = 1;
    private static final int NUM_TOO_BIG = 2;
    private int numStatus;

    /**
     * An unsigned 64-bit number, decimal or 0x hex, as the bits of a long; sets {@link #numStatus}.
     * Callers build their message only on failure, so the hot path allocates nothing.
     */
    private long u64(byte[] b, int from, int to) {
        numStatus = NUM_OK;
        if (to - from > 2 && b[from] == '0' && (b[from + 1] == 'x' || b[from + 1] == 'X')) {
            long v = 0;
            int digits = 0;
            for (int i = from + 2; i < to; i++) {
                int d = hexDigit(b[i]);
                if (d < 0) {
                    numStatus = NUM_SYNTAX;
                    return 0;
                }
                if (v != 0 || d != 0) {
                    digits++;
                }
                if (digits > 16) {
                    numStatus = NUM_TOO_BIG;
                    return 0;
                }
                v = (v << 4) | d;
            }
            return v;
        }
        if (from == to) {
            numStatus = NUM_SYNTAX;
            return 0;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                numStatus = NUM_SYNTAX;
                return 0;
            }
            long times10 = v * 10;
            long nv = times10 + d;
            if (Long.compareUnsigned(v, 0x1999999999999999L) > 0 || Long.compareUnsigned(nv, times10) < 0) {
                numStatus = NUM_TOO_BIG;
                return 0;
            }
            v = nv;
        }
        return v;
    }

    /** The error for a failed {@link #u64}: {@code what} for bad syntax, {@code tooBig} for overflow. */
    private TraceInputException numberError(byte[] b, int from, int to, String what, String tooBig) {
        return fail(col(from), "expected " + (numStatus == NUM_TOO_BIG ? tooBig : what) + "; found " + show(b, from, to));
    }

    private static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    private static int skipBlanks(byte[] b, int i, int end) {
        while (i < end && isBlank(b[i])) {
            i++;
        }
        return i;
    }

    private static int tokenEnd(byte[] b, int i, int end) {
        while (i < end && !isBlank(b[i])) {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Column of {@code key} as a token of the current line (for checks made after the whole line). */
    private int keyCol(byte[] b, int s, int end, String key) {
        byte[] k = key.getBytes();
        for (int i = s; i + k.length <= end; i++) {
            if ((i == s || isBlank(b[i - 1])) && Arrays.equals(b, i, i + k.length, k, 0, k.length)) {
                return col(i);
            }
        }
        return 1;
    }

    private int col(int index) {
        return index - lines.start + 1;
    }

    /** A token for a message: quoted, shortened, with control and non-ASCII bytes escaped. */
    private static String show(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder("'");
        int stop = Math.min(to, from + 60);
        for (int i = from; i < stop; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append(stop < to ? "...'" : "'").toString();
    }

    private TraceInputException fail(int column, String message) {
        return TraceInputException.atLine(file, lines.lineNo, column, message);
    }
}
