package org.ptorder.ingest.sim;

import java.util.Locale;

/**
 * The bugs {@code ptorder simulate --inject} can plant, each a small episode in the guest's life
 * whose ops are those of one litmus test of reference/ordering-model.md §6.3 (README-simulate.md
 * lists the exact ops per system). The class and label are what {@code ptorder check} must report
 * for it; see {@link Planted} for the extra classes a checker may also name.
 */
public enum InjectionKind {
    /** LT-1: an update queued under a lock, the lock released before the flush; another CPU takes the lock and invalidates. */
    FLUSH_AFTER_UNLOCK("flush-after-unlock", 2, "flush after unlock instead of before (LT-1)"),
    /** LT-4 with a MULTI: the initiator's own update still queued when its remote shootdown runs. */
    NO_FLUSH_BEFORE_SHOOTDOWN("no-flush-before-shootdown", 2, "a missing flush before a remote shootdown (LT-4, MULTI)"),
    /** LT-10: a frame (data page or page-table page) freed before the shootdown that makes it unreachable. */
    FREE_BEFORE_SHOOTDOWN("free-before-shootdown", 1, "free before shootdown (LT-10; data frame -> V6, page-table page -> V5-pwc)"),
    /** LT-9: a page-table page unpinned and freed while another CPU's update to one of its entries is queued. */
    UNPIN_PENDING("unpin-pending", 2, "unpin (and free) of a page-table page with a pending update (LT-9)"),
    /** LT-6: a compare-and-swap reads the applied value while another CPU's set of that PTE is queued. */
    CAS_OVER_PENDING("cas-over-pending", 2, "CAS over a pending set (LT-6)"),
    /** LT-7 / LT-8: a PTE read through the direct/recursive map while an update to it is queued. */
    OOB_READ_PENDING("oob-read-pending", 1, "out-of-band read of a pending PTE (LT-7 local, LT-8 remote)"),
    /** §3.5 V8: the thread migrates between its enqueue and the flush meant to publish it. */
    MIGRATE_BEFORE_FLUSH("migrate-before-flush", 2, "migration between enq and flush (V8)"),
    /** LT-4: INVLPG_ALL issued raw, with the CPU's own update still queued. */
    RAW_INVLPG_ALL("raw-invlpg-all", 1, "raw invlpg_all without own flush (LT-4)");

    /** Default planting rate: the chance per scheduling step that an episode of the kind starts. */
    public static final double DEFAULT_RATE = 0.0005;

    private final String text;
    private final int minCpus;
    private final String description;

    InjectionKind(String text, int minCpus, String description) {
        this.text = text;
        this.minCpus = minCpus;
        this.description = description;
    }

    /** The spelling on the command line and in the truth file. */
    public String text() {
        return text;
    }

    /** vCPUs the episode needs; with fewer the kind is not planted (only its one-CPU variants are). */
    public int minCpus() {
        return minCpus;
    }

    public String description() {
        return description;
    }

    public static InjectionKind parse(String s) {
        for (InjectionKind k : values()) {
            if (k.text.equals(s.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        return null;
    }
}
