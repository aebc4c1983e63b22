package org.ptorder.analyze.check;

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
public record EventRef(long seq, int cpu, long ts, long line, long offset, String at, Op op, String detail) {

    public static EventRef of(MmuOp o) {
        return new EventRef(o.seq, o.cpu, o.ts, o.srcLine, o.srcOffset, o.at, o.op, describe(o));
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
        sb.append(' ').append(detail);
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
        return detail + " #" + seq + " (cpu" + cpu + ")";
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    static String describe(MmuOp o) {
        StringBuilder sb = new StringBuilder(o.op.text());
        switch (o.op) {
            case ENQ -> {
                kv(sb, "pte", o.pte);
                kv(sb, "val", o.val);
                if (o.kind != null && !o.kind.equals("pt")) {
                    sb.append(" kind=").append(o.kind);
                }
            }
            case FLUSH -> {
                if (MmuOp.has(o.n)) {
                    sb.append(" n=").append(o.n);
                }
                if (MmuOp.has(o.done)) {
                    sb.append(" done=").append(o.done);
                }
                if (o.reason != null) {
                    sb.append(" reason=").append(o.reason);
                }
            }
            case INVLPG, INVLPG_ALL, ACCESS -> {
                kv(sb, "va", o.va);
                kv(sb, "frame", o.frame);
            }
            case INVLPG_MULTI -> {
                kv(sb, "va", o.va);
                sb.append(" mask=").append(o.mask == null ? "?" : MmuOp.cpuList(o.mask));
            }
            case TLB_FLUSH_MULTI -> sb.append(" mask=").append(o.mask == null ? "?" : MmuOp.cpuList(o.mask));
            case NEW_BASEPTR -> {
                kv(sb, "root", o.root);
                if (o.user == 1) {
                    sb.append(" user=1");
                }
            }
            case PIN, UNPIN, FRAME_FREE, FRAME_ALLOC, MAP_TABLE -> {
                kv(sb, "mfn", o.mfn);
                if (o.purpose != null) {
                    sb.append(" purpose=").append(o.purpose);
                }
            }
            case OOB_READ -> {
                kv(sb, "pte", o.pte);
                kv(sb, "val", o.val);
            }
            case RMW -> {
                kv(sb, "pte", o.pte);
                kv(sb, "expect", o.expect);
                kv(sb, "new", o.newVal);
                if (o.ok >= 0) {
                    sb.append(" ok=").append(o.ok);
                }
            }
            case UPDATE_VA_MAPPING -> {
                kv(sb, "va", o.va);
                kv(sb, "val", o.val);
                kv(sb, "flags", o.flags);
            }
            case LOCK, UNLOCK -> sb.append(' ').append(o.lock);
            case CV_BROADCAST, CV_WAKE, CV_WAIT -> sb.append(' ').append(o.cv);
            case IPI_SEND, IPI_RECV, IPI_ACK, IPI_DONE -> sb.append(" ipi=").append(o.ipi);
            case MIGRATE -> sb.append(" thread=").append(o.thread).append(" to=").append(o.to);
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
