package org.ptorder.ingest.pmap;

import java.util.BitSet;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * The {@code key=} names of .pmt event lines and the {@link MmuOp} field each one fills. The
 * reader and the writer both go through this one mapping, so a field cannot be read under one
 * name and written under another.
 */
public enum PmtKey {
    PTE("pte", Type.U64, true),
    VAL("val", Type.U64, true),
    OLD("old", Type.U64, true),
    VA("va", Type.U64, true),
    KIND("kind", Type.WORD, false),
    N("n", Type.U64, false),
    DONE("done", Type.U64, false),
    REASON("reason", Type.WORD, false),
    MASK("mask", Type.CPUSET, false),
    ROOT("root", Type.U64, true),
    USER("user", Type.FLAG, false),
    MFN("mfn", Type.U64, true),
    LEVEL("level", Type.LEVEL, false),
    FLAGS("flags", Type.U64, true),
    EXPECT("expect", Type.U64, true),
    NEW("new", Type.U64, true),
    OK("ok", Type.FLAG, false),
    FRAME("frame", Type.U64, true),
    PURPOSE("purpose", Type.NAME, false),
    LOCK("lock", Type.NAME, false),
    IPI("ipi", Type.U64, false),
    DST("dst", Type.CPUSET, false),
    CV("cv", Type.NAME, false),
    TO("to", Type.CPU, false),
    OP("op", Type.HCOP, false),
    COUNT("count", Type.U64, false),
    DUR("dur", Type.U64, false),
    THREAD("thread", Type.U64, false),
    TSC("tsc", Type.U64, false),
    AT("at", Type.NAME, false);

    /** How a value is written and checked. */
    public enum Type {
        /** 0..2^64-1, decimal or 0x hex, stored as the bits of a long. */
        U64,
        /** 0 or 1. */
        FLAG,
        /** Page-table level 1..4. */
        LEVEL,
        /** A CPU number. */
        CPU,
        /** A CPU list {@code 0,2-3} or a hex bit mask {@code 0xd}. */
        CPUSET,
        /** One of a fixed set of words ({@link #words}). */
        WORD,
        /** Any token without blanks, e.g. a lock name or {@code pmap.c:123}. */
        NAME,
        /** A hypercall number, or its name ({@code mmu_update}). */
        HCOP
    }

    public final String text;
    public final Type type;
    /** Addresses and values read best in hex; counts and ids in decimal. */
    public final boolean hex;

    PmtKey(String text, Type type, boolean hex) {
        this.text = text;
        this.type = type;
        this.hex = hex;
    }

    public long bit() {
        return 1L << ordinal();
    }

    /** The words a {@link Type#WORD} key accepts, or null. */
    public String[] words() {
        switch (this) {
            case KIND:
                return new String[] {"pt", "ad", "m2p"};
            case REASON:
                return new String[] {"explicit", "full", "mmuext", "unlock", "lazy_leave"};
            default:
                return null;
        }
    }

    /** Whether {@code o} carries this field. */
    public boolean present(MmuOp o) {
        switch (type) {
            case U64:
                return getLong(o) != MmuOp.NONE;
            case FLAG:
            case LEVEL:
            case CPU:
            case HCOP:
                return getLong(o) >= 0;
            case CPUSET:
                return getSet(o) != null;
            default:
                return getText(o) != null;
        }
    }

    /** Numeric fields (U64, FLAG, LEVEL, CPU, HCOP); int fields come back widened. */
    public long getLong(MmuOp o) {
        switch (this) {
            case PTE: return o.pte;
            case VAL: return o.val;
            case OLD: return o.old;
            case VA: return o.va;
            case N: return o.n;
            case DONE: return o.done;
            case ROOT: return o.root;
            case USER: return o.user;
            case MFN: return o.mfn;
            case LEVEL: return o.level;
            case FLAGS: return o.flags;
            case EXPECT: return o.expect;
            case NEW: return o.newVal;
            case OK: return o.ok;
            case FRAME: return o.frame;
            case IPI: return o.ipi;
            case TO: return o.to;
            case OP: return o.hcOp;
            case COUNT: return o.count;
            case DUR: return o.dur;
            case THREAD: return o.thread;
            case TSC: return o.tsc;
            default: throw new IllegalStateException(text + " is not numeric");
        }
    }

    public void setLong(MmuOp o, long v) {
        switch (this) {
            case PTE: o.pte = v; break;
            case VAL: o.val = v; break;
            case OLD: o.old = v; break;
            case VA: o.va = v; break;
            case N: o.n = v; break;
            case DONE: o.done = v; break;
            case ROOT: o.root = v; break;
            case USER: o.user = (int) v; break;
            case MFN: o.mfn = v; break;
            case LEVEL: o.level = (int) v; break;
            case FLAGS: o.flags = v; break;
            case EXPECT: o.expect = v; break;
            case NEW: o.newVal = v; break;
            case OK: o.ok = (int) v; break;
            case FRAME: o.frame = v; break;
            case IPI: o.ipi = v; break;
            case TO: o.to = (int) v; break;
            case OP: o.hcOp = (int) v; break;
            case COUNT: o.count = v; break;
            case DUR: o.dur = v; break;
            case THREAD: o.thread = v; break;
            case TSC: o.tsc = v; break;
            default: throw new IllegalStateException(text + " is not numeric");
        }
    }

    public String getText(MmuOp o) {
        switch (this) {
            case KIND: return o.kind;
            case REASON: return o.reason;
            case PURPOSE: return o.purpose;
            case LOCK: return o.lock;
            case CV: return o.cv;
            case AT: return o.at;
            default: throw new IllegalStateException(text + " is not text");
        }
    }

    public void setText(MmuOp o, String v) {
        switch (this) {
            case KIND: o.kind = v; break;
            case REASON: o.reason = v; break;
            case PURPOSE: o.purpose = v; break;
            case LOCK: o.lock = v; break;
            case CV: o.cv = v; break;
            case AT: o.at = v; break;
            default: throw new IllegalStateException(text + " is not text");
        }
    }

    public BitSet getSet(MmuOp o) {
        switch (this) {
            case MASK: return o.mask;
            case DST: return o.dst;
            default: throw new IllegalStateException(text + " is not a CPU set");
        }
    }

    public void setSet(MmuOp o, BitSet v) {
        switch (this) {
            case MASK: o.mask = v; break;
            case DST: o.dst = v; break;
            default: throw new IllegalStateException(text + " is not a CPU set");
        }
    }
}
