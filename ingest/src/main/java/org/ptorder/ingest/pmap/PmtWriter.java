package org.ptorder.ingest.pmap;

import java.io.Flushable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.BitSet;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * Writes canonical ops as .pmt text that {@link PmtReader} reads back to the same ops: same
 * fields, {@code seq} in writing order, {@code ts} exact (the header says {@code clock=ns
 * origin=0}, and the time column is {@code ts}). An op the format cannot represent exactly (a
 * field its op does not take, a missing required field, a name with blanks, time going back on a
 * CPU) is refused with an {@link IllegalArgumentException} rather than written lossily.
 *
 * <p>{@code srcLine}/{@code srcOffset} are not written: they describe where an op was read from.
 */
public final class PmtWriter implements Flushable {
    private final Appendable out;
    private final int cpus;
    private final long[] lastTs = new long[PmtHeader.MAX_CPUS];
    private final StringBuilder line = new StringBuilder(128);

    /**
     * Writes the header at once.
     *
     * @param cpus   {@code cpus=}, or 0 to leave it out
     * @param system {@code system=} (netbsd, linux), or null to leave it out
     */
    public PmtWriter(Appendable out, int cpus, String system) {
        if (cpus < 0 || cpus > PmtHeader.MAX_CPUS) {
            throw new IllegalArgumentException("cpus " + cpus + " out of range 0.." + PmtHeader.MAX_CPUS);
        }
        if (system != null && !Arrays.asList(PmtHeader.SYSTEMS).contains(system)) {
            throw new IllegalArgumentException("system '" + system + "' is not one of " + Arrays.toString(PmtHeader.SYSTEMS));
        }
        this.out = out;
        this.cpus = cpus;
        Arrays.fill(lastTs, Long.MIN_VALUE);
        StringBuilder h = new StringBuilder("#! ptorder-pmap 1\n#!");
        if (cpus > 0) {
            h.append(" cpus=").append(cpus);
        }
        h.append(" clock=ns origin=0");
        if (system != null) {
            h.append(" system=").append(system);
        }
        h.append('\n');
        emit(h);
    }

    /** A comment line ({@code # text}); for people, ignored by the reader. */
    public void comment(String text) {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("comment spans lines: " + text);
        }
        line.setLength(0);
        line.append("# ").append(text).append('\n');
        emit(line);
    }

    public void write(MmuOp o) {
        line.setLength(0);
        format(o, line);
        line.append('\n');
        emit(line);
    }

    private void format(MmuOp o, StringBuilder sb) {
        if (o.op == null) {
            throw new IllegalArgumentException("op without an op code: " + o);
        }
        if (o.cpu < 0 || o.cpu >= (cpus > 0 ? cpus : PmtHeader.MAX_CPUS)) {
            throw new IllegalArgumentException("cpu " + o.cpu + " out of range for " + o);
        }
        if (o.ts == MmuOp.NONE || o.ts < 0) {
            throw new IllegalArgumentException("the .pmt time column needs ts >= 0; got " + o.ts + " in " + o);
        }
        if (o.ts < lastTs[o.cpu]) {
            throw new IllegalArgumentException("ts goes back on cpu " + o.cpu + " (" + lastTs[o.cpu] + " then "
                + o.ts + "): " + o);
        }
        long allowed = PmtGrammar.allowedBits(o.op);
        long required = PmtGrammar.requiredBits(o.op);
        for (PmtKey k : PmtKey.values()) {
            boolean has = k.present(o);
            if (has && (allowed & k.bit()) == 0) {
                throw new IllegalArgumentException(o.op.text() + " has no " + k.text + "=, but the op carries it: " + o);
            }
            if (!has && (required & k.bit()) != 0) {
                throw new IllegalArgumentException(o.op.text() + " needs " + k.text + "=: " + o);
            }
        }
        if (o.op == Op.FLUSH && o.done != MmuOp.NONE && Long.compareUnsigned(o.done, o.n) > 0) {
            throw new IllegalArgumentException("flush with done > n: " + o);
        }
        sb.append(o.ts).append(' ').append(o.cpu).append(' ').append(o.op.text());
        for (PmtKey k : PmtGrammar.keys(o.op)) {
            if (k.present(o)) {
                sb.append(' ').append(k.text).append('=');
                value(k, o, sb);
            }
        }
        lastTs[o.cpu] = o.ts;
    }

    private void value(PmtKey k, MmuOp o, StringBuilder sb) {
        switch (k.type) {
            case U64: {
                long v = k.getLong(o);
                if (k.hex || v < 0) {
                    sb.append("0x").append(Long.toHexString(v));
                } else {
                    sb.append(v);
                }
                break;
            }
            case FLAG:
            case LEVEL:
            case CPU:
            case HCOP:
                checkRange(k, o);
                sb.append(k.getLong(o));
                break;
            case CPUSET: {
                BitSet s = k.getSet(o);
                int limit = cpus > 0 ? cpus : PmtHeader.MAX_CPUS;
                if (s.length() > limit) {
                    throw new IllegalArgumentException(k.text + "= names CPU " + (s.length() - 1) + " beyond " + limit + ": " + o);
                }
                sb.append(s.isEmpty() ? "0x0" : MmuOp.cpuList(s));
                break;
            }
            case WORD: {
                String w = k.getText(o);
                if (!Arrays.asList(k.words()).contains(w)) {
                    throw new IllegalArgumentException(k.text + "=" + w + " is not one of " + Arrays.toString(k.words()));
                }
                sb.append(w);
                break;
            }
            default: {
                String t = k.getText(o);
                checkName(k, t);
                sb.append(t);
            }
        }
    }

    private void checkRange(PmtKey k, MmuOp o) {
        long v = k.getLong(o);
        boolean ok;
        switch (k.type) {
            case FLAG:
                ok = v == 0 || v == 1;
                break;
            case LEVEL:
                ok = v >= 1 && v <= 4;
                break;
            case CPU:
                ok = v < (cpus > 0 ? cpus : PmtHeader.MAX_CPUS);
                break;
            default:
                ok = true;
        }
        if (!ok) {
            throw new IllegalArgumentException(k.text + "=" + v + " is out of range: " + o);
        }
    }

    /** Names are single tokens; an empty one or one with blanks would not read back. */
    private static void checkName(PmtKey k, String t) {
        boolean ok = !t.isEmpty();
        for (int i = 0; ok && i < t.length(); i++) {
            char c = t.charAt(i);
            ok = c != ' ' && c != '\t' && c != '\n' && c != '\r';
        }
        if (!ok) {
            throw new IllegalArgumentException(k.text + "= must be one non-empty token without blanks; got '" + t + "'");
        }
    }

    private void emit(CharSequence s) {
        try {
            out.append(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() throws IOException {
        if (out instanceof Flushable f) {
            f.flush();
        }
    }
}
