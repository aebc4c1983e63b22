package org.ptorder.ingest.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;

/** Test helpers: run a simulation into memory. */
final class Sims {
    private Sims() { }

    record Out(byte[] pmt, byte[] xentrace, byte[] truth, Simulator.Result result) {
        String pmtText() {
            return new String(pmt, java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    static Out run(SimConfig cfg, boolean xentrace, boolean truth) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        ByteArrayOutputStream x = xentrace ? new ByteArrayOutputStream() : null;
        ByteArrayOutputStream t = truth ? new ByteArrayOutputStream() : null;
        try {
            Simulator.Result r = Simulator.run(cfg, p, x, t);
            return new Out(p.toByteArray(), x == null ? null : x.toByteArray(), t == null ? null : t.toByteArray(), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Out clean(String system, int cpus, long events, String workload, long seed) {
        return run(SimConfig.clean(system, cpus, events, workload, seed), false, false);
    }

    static SimConfig injecting(String system, int cpus, long events, String workload, long seed, InjectionKind kind,
                               double rate) {
        Map<InjectionKind, Double> m = new EnumMap<>(InjectionKind.class);
        m.put(kind, rate);
        return new SimConfig(system, cpus, events, 0, workload, seed, m);
    }
}
