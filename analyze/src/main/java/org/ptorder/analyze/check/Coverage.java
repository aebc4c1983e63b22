package org.ptorder.analyze.check;

/**
 * How the checker knows that the reader concerns the writer's PTE (ordering-model §3.5
 * {@code covers}), or what relates the two events for the classes that are not about a VA.
 */
public enum Coverage {
    /** The same PTE machine address (V2, V4). */
    PTE("pte"),
    /** The writer's own {@code va=} (at the entry's level when its table's level is known, else a page). */
    VA("va"),
    /** A {@code map_table} declaration of the entry's table (from the trace or learned at ingest). */
    MAP_TABLE("map_table"),
    /** Learned by the checker from an earlier op naming both an entry of the table and its VA. */
    LEARNED("learned"),
    /** Replayed page-table structure: the table was reached from a pinned root or a parent entry. */
    WALK("walk"),
    /** A full TLB flush: covers everything reachable from the target's root, which is assumed. */
    FULL("full"),
    /** The base pointer is the entry's own table, or the unpinned/freed table is a CPU's root. */
    ROOT("root"),
    /** The unpinned/freed/reused page is the table the entry is in. */
    TABLE("table"),
    /** The entry's new value points to the unpinned/freed/reused page-table page. */
    VALUE("value"),
    /** The lock is taken to protect the PTE (V7: --lock-map). */
    LOCK("lock"),
    /** The migrating thread enqueued the entry (V8). */
    THREAD("thread"),
    /** A group of enqueues marked atomic by --atomic-lock (V9). */
    GROUP("group"),
    /** Cannot be decided: no VA for the entry and no declaration of its table. */
    UNKNOWN("unknown");

    private final String text;

    Coverage(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
