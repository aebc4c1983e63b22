package org.ptorder.analyze.check;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one checker run found: the findings in the order they were finalised, the classes
 * that could not be decided, and the run's size.
 *
 * @param peakState the most checker state held at once (queue entries, PTEs, tables, records,
 *                  windows): bounded by pending entries plus page-table state, not trace length
 */
public record CheckResult(List<Finding> findings, List<Undecided> undecided, long ops, int cpus, long peakState) {

    public Map<ViolationClass, long[]> counts() {
        Map<ViolationClass, long[]> m = new EnumMap<>(ViolationClass.class);
        for (Finding f : findings) {
            m.computeIfAbsent(f.cls(), k -> new long[Label.values().length])[f.label().ordinal()]++;
        }
        return m;
    }

    public long count(Label l) {
        return findings.stream().filter(f -> f.label() == l).count();
    }
}
