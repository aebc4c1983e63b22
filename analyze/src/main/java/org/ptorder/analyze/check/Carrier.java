package org.ptorder.analyze.check;

/**
 * A vector clock in transit: what a release (unlock, IPI send or ack, condvar broadcast,
 * migration) hands to the matching acquire. For each component it keeps the release event that
 * set it and the hops before that, so an acquire can extend the happens-before path; with V6 on,
 * also the invalidation knowledge ({@code iv}) that travels with it.
 */
final class Carrier {
    long[] vc;
    EventRef[] src;
    HbPath[] prev;
    long[][] iv;

    Carrier(int cap) {
        vc = new long[cap];
        src = new EventRef[cap];
        prev = new HbPath[cap];
    }

    long get(int k) {
        return k < vc.length ? vc[k] : 0;
    }

    void ensure(int cap) {
        if (vc.length < cap) {
            vc = java.util.Arrays.copyOf(vc, cap);
            src = java.util.Arrays.copyOf(src, cap);
            prev = java.util.Arrays.copyOf(prev, cap);
            if (iv != null) {
                long[][] n = new long[cap][];
                for (int i = 0; i < iv.length; i++) {
                    n[i] = iv[i] == null ? null : java.util.Arrays.copyOf(iv[i], cap);
                }
                iv = n;
            }
        }
    }
}
