package org.ptorder.ingest.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects warnings for the {@code ingest_warnings} table, keeping at most {@link #PER_KIND}
 * rows of each kind (a badly damaged file must not turn into millions of rows) and a final row
 * per kind saying how many were not kept.
 */
public final class WarningList implements WarningSink {
    public static final int PER_KIND = 1000;

    public record Warning(long offset, int cpu, String kind, String message) { }

    private final List<Warning> kept = new ArrayList<>();
    private final Map<String, Long> perKind = new HashMap<>();

    @Override
    public void warn(long offset, int cpu, String kind, String message) {
        long n = perKind.merge(kind, 1L, Long::sum);
        if (n <= PER_KIND) {
            kept.add(new Warning(offset, cpu, kind, message));
        }
    }

    /** The kept rows, plus one summary row for each kind that overflowed. */
    public List<Warning> rows() {
        List<Warning> out = new ArrayList<>(kept);
        perKind.forEach((kind, n) -> {
            if (n > PER_KIND) {
                out.add(new Warning(-1, -1, kind, (n - PER_KIND) + " more '" + kind + "' warnings not stored"));
            }
        });
        return out;
    }

    public long total() {
        return perKind.values().stream().mapToLong(Long::longValue).sum();
    }

    public boolean isEmpty() {
        return perKind.isEmpty();
    }
}
