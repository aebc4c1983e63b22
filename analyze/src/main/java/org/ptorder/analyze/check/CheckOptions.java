package org.ptorder.analyze.check;

import java.util.Map;
import java.util.Set;

/**
 * What the checker is told besides the trace.
 *
 * @param linuxLazy   the trace is an intent trace of Linux (a .pmt with {@code system=linux}): inside
 *                    {@code lazy_enter .. lazy_leave} the TLB, base-pointer, pin and unpin ops are
 *                    entries of the CPU's multicall batch and take effect when it is issued (a
 *                    {@code flush} or {@code lazy_leave}). Traces lowered from ftrace already place
 *                    those ops at their effect and must not set this.
 * @param lockMap     V7: null (V7 is not checked), {@link LockMap#HELD} (a lock protects the PTEs
 *                    enqueued while it is held) or a map from lock names to page-table pages
 * @param atomicLocks V9: the enqueues of one critical section of each of these locks form a group
 *                    that must reach Xen in one batch
 */
public record CheckOptions(boolean linuxLazy, LockMap lockMap, Set<String> atomicLocks) {

    public static CheckOptions defaults() {
        return new CheckOptions(false, null, Set.of());
    }

    public CheckOptions withLinuxLazy(boolean on) {
        return new CheckOptions(on, lockMap, atomicLocks);
    }

    /** The options that change findings, as text for check_runs.options. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (linuxLazy) {
            sb.append("--system linux");
        }
        if (lockMap != null) {
            sb.append(sb.length() > 0 ? " " : "").append("--lock-map ").append(lockMap.describe());
        }
        for (String l : atomicLocks) {
            sb.append(sb.length() > 0 ? " " : "").append("--atomic-lock ").append(l);
        }
        return sb.toString();
    }

    /** Which locks protect which page-table pages (V7). */
    public static final class LockMap {
        public static final LockMap HELD = new LockMap(null, "held");

        private final Map<String, Set<Long>> tables;
        private final String source;

        public LockMap(Map<String, Set<Long>> tables, String source) {
            this.tables = tables;
            this.source = source;
        }

        public boolean held() {
            return tables == null;
        }

        /** Whether lock {@code name} protects entries of table {@code mfn} (names may end in '*'). */
        public boolean protects(String name, long mfn) {
            for (Map.Entry<String, Set<Long>> e : tables.entrySet()) {
                String k = e.getKey();
                boolean match = k.endsWith("*") ? name.startsWith(k.substring(0, k.length() - 1)) : k.equals(name);
                if (match && e.getValue().contains(mfn)) {
                    return true;
                }
            }
            return false;
        }

        String describe() {
            return source;
        }
    }
}
