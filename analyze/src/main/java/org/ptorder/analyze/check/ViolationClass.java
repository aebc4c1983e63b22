package org.ptorder.analyze.check;

/**
 * The violation classes of ordering-model §3.5, with the names ptorder prints and stores. V4 and
 * V5 always carry their sub-class; V2 and V3 have a plain form besides their sub-classes.
 */
public enum ViolationClass {
    V1("V1", "stale reload after a read-op"),
    V2("V2", "lost or out-of-order update, two queues, same PTE"),
    V2_UNSYNC("V2-unsync", "unsynchronised updates of one PTE from two CPUs"),
    V2_STALE_RMW("V2-stale-RMW", "read-modify-write of a PTE with an update still queued"),
    V3("V3", "shootdown completed while an update is still queued on another CPU"),
    V3_LOCAL("V3-local", "shootdown issued with the initiator's own update still queued"),
    V4_LOCAL("V4-local", "out-of-band read of a PTE the same CPU has queued an update for"),
    V4_REMOTE("V4-remote", "out-of-band read of a PTE another CPU has queued an update for"),
    V5_PENDING("V5-pending", "unpin/free/reuse of a page-table page with updates to it still queued"),
    V5_LIVE_ROOT("V5-live-root", "unpin/free/reuse of a page-table page a CPU may still run on"),
    V5_PWC("V5-pwc", "page-table page freed while a CPU's paging-structure cache may still point into it"),
    V6("V6", "frame freed or reused while a CPU's TLB may still map it"),
    V7("V7", "lock released with the PTEs it protects still queued (lint)"),
    V8("V8", "queue entry orphaned by a migration"),
    V9("V9", "auto-flush split a group marked atomic");

    private final String text;
    private final String title;

    ViolationClass(String text, String title) {
        this.text = text;
        this.title = title;
    }

    /** The name as printed and stored, e.g. {@code V2-unsync}. */
    public String text() {
        return text;
    }

    public String title() {
        return title;
    }

    public static ViolationClass parse(String s) {
        for (ViolationClass c : values()) {
            if (c.text.equals(s)) {
                return c;
            }
        }
        return null;
    }
}
