package org.ptorder.analyze.check;

/**
 * One synchronisation hop of a happens-before path (a release on one CPU, the matching acquire on
 * another), linked to the hops before it. Immutable and shared: a CPU's vector-clock component
 * points at the chain of hops by which it learned that component.
 */
final class HbPath {
    final EventRef release;
    final EventRef acquire;
    final HbPath prev;

    HbPath(EventRef release, EventRef acquire, HbPath prev) {
        this.release = release;
        this.acquire = acquire;
        this.prev = prev;
    }

    /** The first hop (the release on the writer's CPU). */
    HbPath first() {
        HbPath p = this;
        while (p.prev != null) {
            p = p.prev;
        }
        return p;
    }

    /** The hops, first to last, at most {@code max} (then the last ones). */
    java.util.List<HbPath> hops(int max) {
        java.util.ArrayList<HbPath> l = new java.util.ArrayList<>();
        for (HbPath p = this; p != null; p = p.prev) {
            l.add(p);
        }
        java.util.Collections.reverse(l);
        return l.size() <= max ? l : l.subList(l.size() - max, l.size());
    }

    int length() {
        int n = 0;
        for (HbPath p = this; p != null; p = p.prev) {
            n++;
        }
        return n;
    }
}
