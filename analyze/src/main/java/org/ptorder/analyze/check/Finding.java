package org.ptorder.analyze.check;

import java.util.List;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * One violation with its evidence: the writer's event (the update, or the root load for
 * V5-live-root), the reader's event (the read-op, out-of-band read, shootdown, unpin, free, unlock,
 * migrate or auto-flush that depends on it), the happens-before path that created the
 * expectation, where the missing publication belongs, and a minimal interleaving that shows the
 * bad outcome. Built by the {@link Checker}; its label may still change until the checker
 * finishes with it.
 */
public final class Finding {
    ViolationClass cls;
    Label label = Label.LATENT;
    Coverage coverage;
    long pte = MmuOp.NONE;
    long va = MmuOp.NONE;
    long oldVal = MmuOp.NONE;
    long newVal = MmuOp.NONE;
    long frame = MmuOp.NONE;
    EventRef writer;
    EventRef reader;
    EventRef evidence;
    String evidenceText;
    String hbPath;
    String missing;
    long missingSeq = MmuOp.NONE;
    List<String> interleaving = List.of();
    String rootCause;
    String note;
    int fileId;

    // resolution: a race finding is only kept if evidence shows the stale use
    boolean race;
    int waits;
    boolean emitted;

    Finding(ViolationClass cls, Coverage coverage) {
        this.cls = cls;
        this.coverage = coverage;
    }

    public ViolationClass cls() {
        return cls;
    }

    public Label label() {
        return label;
    }

    public Coverage coverage() {
        return coverage;
    }

    /** Machine address of the PTE, or {@link MmuOp#NONE}. */
    public long pte() {
        return pte;
    }

    /** The VA concerned (the entry's, else the reader's), or NONE. */
    public long va() {
        return va;
    }

    /** The value the writer replaced (as far as known), or NONE. */
    public long oldValue() {
        return oldVal;
    }

    /** The writer's new value, or NONE. */
    public long newValue() {
        return newVal;
    }

    /** The frame concerned (V5, V6: the freed page; V5-live-root: the root), or NONE. */
    public long frame() {
        return frame;
    }

    public EventRef writer() {
        return writer;
    }

    public EventRef reader() {
        return reader;
    }

    /** The event that shows the bad outcome (OBSERVED, BENIGN-RACE), or null. */
    public EventRef evidence() {
        return evidence;
    }

    /** What the evidence shows, or null. */
    public String evidenceText() {
        return evidenceText;
    }

    /** The happens-before path from writer to reader, e.g. {@code enq #1 (cpu0) -> unlock L #2 (cpu0) -> ...}. */
    public String hbPath() {
        return hbPath;
    }

    /** Where a flush (or invalidation, or switch) was missing. */
    public String missing() {
        return missing;
    }

    /** The event before which it was missing, or NONE. */
    public long missingSeq() {
        return missingSeq;
    }

    /** A minimal interleaving showing the bad outcome, one step per element. */
    public List<String> interleaving() {
        return interleaving;
    }

    /** A root cause found elsewhere (e.g. "V8: orphaned by migrate #7"), or null. */
    public String rootCause() {
        return rootCause;
    }

    /** Anything else worth saying (e.g. why hb is unknown), or null. */
    public String note() {
        return note;
    }

    public int fileId() {
        return fileId;
    }

    /** Class, label, writer and reader: what two checkers must agree on. */
    public String key() {
        return cls.text() + " " + label.text() + " w=" + writer.seq() + " r=" + reader.seq() + " cov=" + coverage.text();
    }

    @Override
    public String toString() {
        return key();
    }
}
