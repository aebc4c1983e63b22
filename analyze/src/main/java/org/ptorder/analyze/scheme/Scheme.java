package org.ptorder.analyze.scheme;

import java.util.ArrayList;
import java.util.List;

/** The candidate flush schemes of ordering-model §4.2, with the names ptorder prints and stores. */
public enum Scheme {
    S0("S0", "none: per-CPU queues, flushed when full or where the trace flushes explicitly"),
    SN("SN", "NetBSD as built: S0 + flush own queue before every mmuext op and RMW"),
    S1("S1", "one global queue under a global lock; a read-op flushes the global queue"),
    SA("Sa", "SN + IPI every other CPU to flush before a read-op, wait for the acks"),
    SA_PRIME("Sa'", "as Sa, IPIs only CPUs whose scoreboard overlaps the read-op"),
    SB("Sb", "SN + a read-op waits on a condvar for overlapping pending writes; timeout, then IPI nudge"),
    SSH("Ssh", "shadow page tables + CAS: every update issued at once, nothing queued"),
    SL("SL", "Linux: per-CPU batch issued before unlock, at lazy leave, with remote flushes as sub-ops");

    private final String text;
    private final String title;

    Scheme(String text, String title) {
        this.text = text;
        this.title = title;
    }

    public String text() {
        return text;
    }

    public String title() {
        return title;
    }

    /** The scheme spelled {@code s} (also {@code Sa′}, with the prime character), or null. */
    public static Scheme parse(String s) {
        String t = s.trim().replace('\u2032', '\'');
        for (Scheme x : values()) {
            if (x.text.equals(t)) {
                return x;
            }
        }
        return null;
    }

    /** A comma-separated list such as {@code S0,Sa,SL}; null when a name is unknown (reported by the caller). */
    public static List<Scheme> parseList(String list) {
        List<Scheme> out = new ArrayList<>();
        for (String s : list.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            Scheme x = parse(s);
            if (x == null) {
                throw new IllegalArgumentException("unknown scheme '" + s.trim() + "' (known: S0 SN S1 Sa Sa' Sb Ssh SL)");
            }
            if (!out.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }
}
