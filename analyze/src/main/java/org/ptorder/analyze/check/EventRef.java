package org.ptorder.analyze.check;

import java.util.BitSet;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/**
 * Where one event of the trace is: its recorded position and time, where it was read from, and a
 * short description. Findings name their events with these.
 *
 * @param seq    recorded order ({@code mmu_ops.seq})
 * @param ts     ns since trace start, {@link MmuOp#NONE} when unknown
 * @param line   source line of a text input, or NONE
 * @param offset byte offset of a binary input, or NONE
 * @param at     source-location tag ({@code at=}), or null
 * @param detail the op with its main fields, e.g. {@code invlpg va=0x7f7ff000}
 */
public final class EventRef {
    private final long seq;
    private final int cpu;
    private final long ts;
    private final long line;
    private final long offset;
    private final String at;
    private final Op op;
    private String detail;
    // what detail is made from, until it is asked for
    private long a = MmuOp.NONE;
    private long b = MmuOp.NONE;
    private long c = MmuOp.NONE;
    private String s;
    private BitSet m;
    private int i = -1;

    public EventRef(long seq, int cpu, long ts, long line, long offset, String at, Op op, String detail) {
        this.seq = seq;
        this.cpu = cpu;
        this.ts = ts;
        this.line = line;
        this.offset = offset;
        this.at = at;
        this.op = op;
        this.detail = detail;
    }

    /** The op's identity now; its description is made only when a finding prints it. */
    public static EventRef of(MmuOp o) {
        EventRef r = new EventRef(o.seq, o.cpu, o.ts, o.srcLine, o.srcOffset, o.at, o.op, null);
        switch (o.op) {
            case ENQ, OOB_READ -> {
                r.a = o.pte;
                r.b = o.val;
                r.s = o.kind;
            }
            case FLUSH -> {
                r.a = o.n;
                r.b = o.done;
                r.s = o.reason;
            }
            case INVLPG, INVLPG_ALL, ACCESS -> {
                r.a = o.va;
                r.b = o.frame;
            }
            case INVLPG_MULTI, TLB_FLUSH_MULTI -> {
                r.a = o.va;
                r.m = o.mask == null ? null : (BitSet) o.mask.clone();
            }
            case NEW_BASEPTR -> {
                r.a = o.root;
                r.i = o.user;
            }
            case PIN, UNPIN, FRAME_FREE, FRAME_ALLOC, MAP_TABLE -> {
                r.a = o.mfn;
                r.s = o.purpose;
            }
            case RMW -> {
                r.a = o.pte;
                r.b = o.expect;
                r.c = o.newVal;
                r.i = o.ok;
            }
            case UPDATE_VA_MAPPING -> {
                r.a = o.va;
                r.b = o.val;
                r.c = o.flags;
            }
            case LOCK, UNLOCK -> r.s = o.lock;
            case CV_BROADCAST, CV_WAKE, CV_WAIT -> r.s = o.cv;
            case IPI_SEND, IPI_RECV, IPI_ACK, IPI_DONE -> r.a = o.ipi;
            case MIGRATE -> {
                r.a = o.thread;
                r.i = o.to;
            }
            default -> { }
        }
        return r;
    }

    public long seq() {
        return seq;
    }

    public int cpu() {
        return cpu;
    }

    public long ts() {
        return ts;
    }

    public long line() {
        return line;
    }

    public long offset() {
        return offset;
    }

    public String at() {
        return at;
    }

    public Op op() {
        return op;
    }

    /** The op with its main fields, e.g. {@code invlpg va=0x7f7ff000}. */
    public String detail() {
        if (detail == null) {
            detail = describe();
        }
        return detail;
    }

    /** "Surely before": recorded earlier and, across CPUs, strictly earlier in time when both times are known. */
    public static boolean sb(long s1, int c1, long t1, long s2, int c2, long t2) {
        return s1 < s2 && (c1 == c2 || t1 == MmuOp.NONE || t2 == MmuOp.NONE || t1 < t2);
    }

    public static boolean sb(EventRef a, EventRef b) {
        return sb(a.seq, a.cpu, a.ts, b.seq, b.cpu, b.ts);
    }

    /** {@code #12 cpu1 t=140 line 26 invlpg va=0x7f7ff000 (pmap.c:10)} */
    public String brief() {
        StringBuilder sb = new StringBuilder();
        sb.append('#').append(seq).append(" cpu").append(cpu);
        if (ts != MmuOp.NONE) {
            sb.append(" t=").append(ts);
        }
        String w = where();
        if (!w.isEmpty()) {
            sb.append(' ').append(w);
        }
        sb.append(' ').append(detail());
        if (at != null) {
            sb.append(" (").append(at).append(')');
        }
        return sb.toString();
    }

    /** {@code line 26}, {@code offset 4096} or empty. */
    public String where() {
        if (line != MmuOp.NONE) {
            return "line " + line;
        }
        if (offset != MmuOp.NONE) {
            return "offset " + offset;
        }
        return "";
    }

    /** {@code unlock L #3 (cpu0)} */
    public String shortText() {
        return detail() + " #" + seq + " (cpu" + cpu + ")";
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private String describe() {
        StringBuilder sb = new StringBuilder(op.text());
        switch (op) {
            case ENQ, OOB_READ -> {
                kv(sb, "pte", a);
                kv(sb, "val", b);
                if (s != null && !s.equals("pt")) {
                    sb.append(" kind=").append(s);
                }
            }
            case FLUSH -> {
                if (a != MmuOp.NONE) {
                    sb.append(" n=").append(a);
                }
                if (b != MmuOp.NONE) {
                    sb.append(" done=").append(b);
                }
                if (s != null) {
                    sb.append(" reason=").append(s);
                }
            }
            case INVLPG, INVLPG_ALL, ACCESS -> {
                kv(sb, "va", a);
                kv(sb, "frame", b);
            }
            case INVLPG_MULTI, TLB_FLUSH_MULTI -> {
                kv(sb, "va", a);
                sb.append(" mask=").append(m == null ? "?" : MmuOp.cpuList(m));
            }
            case NEW_BASEPTR -> {
                kv(sb, "root", a);
                if (i == 1) {
                    sb.append(" user=1");
                }
            }
            case PIN, UNPIN, FRAME_FREE, FRAME_ALLOC, MAP_TABLE -> {
                kv(sb, "mfn", a);
                if (s != null) {
                    sb.append(" purpose=").append(s);
                }
            }
            case RMW -> {
                kv(sb, "pte", a);
                kv(sb, "expect", b);
                kv(sb, "new", c);
                if (i >= 0) {
                    sb.append(" ok=").append(i);
                }
            }
            case UPDATE_VA_MAPPING -> {
                kv(sb, "va", a);
                kv(sb, "val", b);
                kv(sb, "flags", c);
            }
            case LOCK, UNLOCK, CV_BROADCAST, CV_WAKE, CV_WAIT -> sb.append(' ').append(s);
            case IPI_SEND, IPI_RECV, IPI_ACK, IPI_DONE -> sb.append(" ipi=").append(a);
            case MIGRATE -> sb.append(" thread=").append(a).append(" to=").append(i);
            default -> { }
        }
        return sb.toString();
    }

    private static void kv(StringBuilder sb, String k, long v) {
        if (v != MmuOp.NONE) {
            sb.append(' ').append(k).append("=0x").append(Long.toHexString(v));
        }
    }
}
