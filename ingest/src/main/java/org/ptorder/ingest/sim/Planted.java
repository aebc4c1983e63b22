package org.ptorder.ingest.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One planted bug, as the truth file records it: which kind, the violation class and label the
 * checker must report, and the trace events ({@code seq}, as the .pmt reader numbers event lines)
 * involved. {@code alternatives} are classes the checker may name instead of {@code class} (the
 * reference leaves the choice open, e.g. LT-10's "V5-pwc/V6"); {@code also} are classes the §3.5
 * definitions also give for the same events (a shootdown is also a read-op, an RMW is also an
 * out-of-band read, ...), which a checker may report or not. {@code roles} names the events by what
 * they are in the episode; {@code key} are the events a finding for this bug must include at
 * least one of.
 */
public final class Planted {
    public final int id;
    public final InjectionKind kind;
    public final String variant;
    public final String system;
    public final String cls;
    public final String label;
    public final List<String> alternatives = new ArrayList<>();
    public final List<String> also = new ArrayList<>();
    /** role -> seq, in the order the events happened. */
    public final Map<String, Long> roles = new LinkedHashMap<>();
    public final List<String> keyRoles = new ArrayList<>();
    public long pte;
    public long va;
    public long mfn;
    public String lock;
    public int cpu = -1;
    public int otherCpu = -1;

    Planted(int id, InjectionKind kind, String variant, String system, String cls, String label) {
        this.id = id;
        this.kind = kind;
        this.variant = variant;
        this.system = system;
        this.cls = cls;
        this.label = label;
    }

    Planted also(String... classes) {
        also.addAll(List.of(classes));
        return this;
    }

    Planted alternatives(String... classes) {
        alternatives.addAll(List.of(classes));
        return this;
    }

    void role(String name, long seq) {
        roles.put(name, seq);
    }

    void key(String... names) {
        keyRoles.addAll(List.of(names));
    }

    /** Every event of the episode, ascending. */
    public List<Long> events() {
        List<Long> out = new ArrayList<>(roles.values());
        out.sort(null);
        return out;
    }

    public List<Long> keyEvents() {
        List<Long> out = new ArrayList<>();
        for (String r : keyRoles) {
            out.add(roles.get(r));
        }
        out.sort(null);
        return out;
    }
}
