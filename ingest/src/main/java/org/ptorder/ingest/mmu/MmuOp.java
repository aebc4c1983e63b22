package org.ptorder.ingest.mmu;

import java.util.BitSet;

/**
 * One canonical MMU operation, as every reader lowers its input. Numeric fields that an op
 * does not have hold {@link #NONE}; text fields hold null. The field set is the union of
 * DESIGN.md's table, plus where the op came from (source line or byte offset, and an optional
 * {@code at=file.c:123} tag).
 */
public final class MmuOp {
    /** Marks an absent numeric field. */
    public static final long NONE = Long.MIN_VALUE;

    public long seq;
    public long ts = NONE;      // ns since trace start
    public long tsc = NONE;     // raw cycle counter, where the input has one
    public int cpu;
    public long thread = NONE;
    public Op op;

    public long pte = NONE;     // machine address of the entry
    public long val = NONE;
    public long old = NONE;
    public long va = NONE;
    public String kind;         // enq: pt | ad | m2p
    public long n = NONE;       // flush: entries
    public long done = NONE;
    public String reason;       // flush: explicit | full | mmuext | unlock | lazy_leave
    public BitSet mask;         // *_multi: vCPU set
    public long root = NONE;    // new_baseptr (mfn)
    public int user = -1;       // new_baseptr: 1 user root, 0 kernel root, -1 unknown
    public long mfn = NONE;
    public int level = -1;
    public long flags = NONE;   // update_va_mapping
    public long expect = NONE;  // rmw
    public long newVal = NONE;  // rmw
    public int ok = -1;         // rmw: 1 ok, 0 failed, -1 unknown
    public long frame = NONE;   // access
    public String purpose;      // frame_alloc
    public String lock;
    public long ipi = NONE;
    public BitSet dst;          // ipi_send
    public String cv;
    public int to = -1;         // migrate: destination CPU
    public int hcOp = -1;       // hypercall: Xen hypercall number
    public long count = NONE;   // hypercall: requests
    public long dur = NONE;     // hypercall: duration in ns (Xen-side evidence)

    public long srcLine = NONE;   // line of a text input
    public long srcOffset = NONE; // byte offset in a binary input
    public String at;             // source location tag, e.g. pmap.c:1234

    public MmuOp() { }

    public MmuOp(int cpu, Op op) {
        this.cpu = cpu;
        this.op = op;
    }

    /** Resets every field to "absent", so a reader can reuse one instance per op. */
    public void clear() {
        seq = 0;
        ts = NONE;
        tsc = NONE;
        cpu = 0;
        thread = NONE;
        op = null;
        pte = NONE;
        val = NONE;
        old = NONE;
        va = NONE;
        kind = null;
        n = NONE;
        done = NONE;
        reason = null;
        mask = null;
        root = NONE;
        user = -1;
        mfn = NONE;
        level = -1;
        flags = NONE;
        expect = NONE;
        newVal = NONE;
        ok = -1;
        frame = NONE;
        purpose = null;
        lock = null;
        ipi = NONE;
        dst = null;
        cv = null;
        to = -1;
        hcOp = -1;
        count = NONE;
        dur = NONE;
        srcLine = NONE;
        srcOffset = NONE;
        at = null;
    }

    /** A field-by-field copy (CPU sets copied too), for consumers that keep ops a source reuses. */
    public MmuOp copy() {
        MmuOp c = new MmuOp();
        c.set(this);
        return c;
    }

    /** Makes this op a field-by-field copy of {@code o} (its CPU set copied too). */
    public void set(MmuOp o) {
        MmuOp c = this;
        c.seq = o.seq;
        c.ts = o.ts;
        c.tsc = o.tsc;
        c.cpu = o.cpu;
        c.thread = o.thread;
        c.op = o.op;
        c.pte = o.pte;
        c.val = o.val;
        c.old = o.old;
        c.va = o.va;
        c.kind = o.kind;
        c.n = o.n;
        c.done = o.done;
        c.reason = o.reason;
        c.mask = o.mask == null ? null : (BitSet) o.mask.clone();
        c.root = o.root;
        c.user = o.user;
        c.mfn = o.mfn;
        c.level = o.level;
        c.flags = o.flags;
        c.expect = o.expect;
        c.newVal = o.newVal;
        c.ok = o.ok;
        c.frame = o.frame;
        c.purpose = o.purpose;
        c.lock = o.lock;
        c.ipi = o.ipi;
        c.dst = o.dst == null ? null : (BitSet) o.dst.clone();
        c.cv = o.cv;
        c.to = o.to;
        c.hcOp = o.hcOp;
        c.count = o.count;
        c.dur = o.dur;
        c.srcLine = o.srcLine;
        c.srcOffset = o.srcOffset;
        c.at = o.at;
    }

    public static boolean has(long v) {
        return v != NONE;
    }

    /** CPU-list text such as {@code 0,2-3}, as masks are written in .pmt files. */
    public static String cpuList(BitSet s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = s.nextSetBit(0); i >= 0; ) {
            int j = s.nextClearBit(i) - 1;
            sb.append(sb.length() > 0 ? "," : "").append(i);
            if (j > i) {
                sb.append('-').append(j);
            }
            i = s.nextSetBit(j + 1);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(seq).append(' ').append(cpu).append(' ').append(op.text());
        field(sb, "pte", pte);
        field(sb, "val", val);
        field(sb, "old", old);
        field(sb, "va", va);
        if (kind != null) {
            sb.append(" kind=").append(kind);
        }
        if (has(n)) {
            sb.append(" n=").append(n);
        }
        if (reason != null) {
            sb.append(" reason=").append(reason);
        }
        if (mask != null) {
            sb.append(" mask=").append(cpuList(mask));
        }
        field(sb, "root", root);
        field(sb, "mfn", mfn);
        if (lock != null) {
            sb.append(" lock=").append(lock);
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String k, long v) {
        if (has(v)) {
            sb.append(' ').append(k).append("=0x").append(Long.toHexString(v));
        }
    }
}
