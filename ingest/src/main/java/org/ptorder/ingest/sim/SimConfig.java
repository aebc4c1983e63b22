package org.ptorder.ingest.sim;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What to simulate.
 *
 * @param system     {@code netbsd} or {@code linux}
 * @param cpus       vCPUs, 1..64
 * @param maxEvents  stop at the first operation boundary once this many events are written (0: no limit)
 * @param maxNs      stop at the first operation boundary once simulated time reaches this (0: no limit)
 * @param workload   one of {@link Workload#NAMES}
 * @param seed       the seed: the same configuration and seed give the same bytes
 * @param inject     kinds to plant and their rates (chance per scheduling step)
 */
public record SimConfig(String system, int cpus, long maxEvents, long maxNs, String workload, long seed,
                        Map<InjectionKind, Double> inject) {
    public static final int MAX_CPUS = 64;

    public SimConfig {
        if (!"netbsd".equals(system) && !"linux".equals(system)) {
            throw new IllegalArgumentException("system must be netbsd or linux, not " + system);
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("cpus must be 1.." + MAX_CPUS + ", not " + cpus);
        }
        if (maxEvents <= 0 && maxNs <= 0) {
            throw new IllegalArgumentException("give an event count or a duration");
        }
        if (!Workload.NAMES.contains(workload)) {
            throw new IllegalArgumentException("unknown workload " + workload + "; known: " + Workload.NAMES);
        }
        EnumMap<InjectionKind, Double> m = new EnumMap<>(InjectionKind.class);
        if (inject != null) {
            for (Map.Entry<InjectionKind, Double> e : inject.entrySet()) {
                double r = e.getValue();
                if (!(r >= 0 && r <= 1)) {
                    throw new IllegalArgumentException("rate of " + e.getKey().text() + " must be in [0, 1], not " + r);
                }
                m.put(e.getKey(), r);
            }
        }
        inject = Collections.unmodifiableMap(m);
    }

    public boolean linux() {
        return "linux".equals(system);
    }

    /** A configuration without injections. */
    public static SimConfig clean(String system, int cpus, long maxEvents, String workload, long seed) {
        return new SimConfig(system, cpus, maxEvents, 0, workload, seed, Map.of());
    }
}
