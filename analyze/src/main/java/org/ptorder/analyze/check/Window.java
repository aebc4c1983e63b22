package org.ptorder.analyze.check;

/**
 * Where the checker watches for evidence of one finding on one target CPU: accesses on that CPU
 * after the reader (V1, V3) or after the free (V5-pwc, V6) that still used what the update
 * removed. Open until the CPU is known to have invalidated the translation after the update was
 * applied.
 */
final class Window implements Entry.Waiter {
    final Finding f;
    final Entry u;
    final int d;
    final EventRef start;
    /** V5-pwc/V6: the freed frame; NONE for V1/V3. */
    final long frame;
    final boolean pwc;
    boolean closed;
    /** The first access that showed stale use if u's flush comes surely after it (V1 case (i)). */
    EventRef candidate;
    final Checker owner;

    Window(Checker owner, Finding f, Entry u, int d, EventRef start, long frame, boolean pwc) {
        this.owner = owner;
        this.f = f;
        this.u = u;
        this.d = d;
        this.start = start;
        this.frame = frame;
        this.pwc = pwc;
    }

    boolean v6() {
        return frame != org.ptorder.ingest.mmu.MmuOp.NONE;
    }

    @Override
    public void applied(Entry e, EventRef flush) {
        if (candidate != null && !closed) {
            if (EventRef.sb(candidate, flush)) {
                owner.observe(f, candidate, "used va " + EventRef.hex(u.va != org.ptorder.ingest.mmu.MmuOp.NONE ? u.va
                    : f.va) + " before the update was applied (" + flush.brief() + ")");
            }
            candidate = null;
        }
    }

    @Override
    public void end(Entry e) {
        if (candidate != null && !closed) {
            owner.observe(f, candidate, "used the translation while the update was never applied");
            candidate = null;
        }
    }
}
