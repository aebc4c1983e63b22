package org.ptorder.ingest.ftrace;

import org.ptorder.ingest.mmu.MmuOp;

/**
 * long -> long hash map (open addressing) for frame numbers: a boxed HashMap of a few hundred
 * thousand frames would cost ten times the memory. {@link MmuOp#NONE} cannot be a key or value.
 */
final class LongMap {
    private long[] keys;
    private long[] vals;
    private int size;

    LongMap() {
        keys = new long[64];
        vals = new long[64];
        java.util.Arrays.fill(keys, MmuOp.NONE);
    }

    int size() {
        return size;
    }

    /** The value for {@code k}, or {@link MmuOp#NONE}. */
    long get(long k) {
        int m = keys.length - 1;
        for (int i = slot(k) & m; ; i = (i + 1) & m) {
            long x = keys[i];
            if (x == k) {
                return vals[i];
            }
            if (x == MmuOp.NONE) {
                return MmuOp.NONE;
            }
        }
    }

    /** Sets {@code k -> v}; returns the previous value or NONE. */
    long put(long k, long v) {
        if ((size + 1) * 2 > keys.length) {
            rehash();
        }
        int m = keys.length - 1;
        for (int i = slot(k) & m; ; i = (i + 1) & m) {
            long x = keys[i];
            if (x == k) {
                long old = vals[i];
                vals[i] = v;
                return old;
            }
            if (x == MmuOp.NONE) {
                keys[i] = k;
                vals[i] = v;
                size++;
                return MmuOp.NONE;
            }
        }
    }

    /** Removes {@code k} (backward-shift deletion keeps probe chains intact). */
    void remove(long k) {
        int m = keys.length - 1;
        int i = slot(k) & m;
        while (keys[i] != k) {
            if (keys[i] == MmuOp.NONE) {
                return;
            }
            i = (i + 1) & m;
        }
        size--;
        for (int j = (i + 1) & m; keys[j] != MmuOp.NONE; j = (j + 1) & m) {
            int home = slot(keys[j]) & m;
            if (((j - home) & m) >= ((j - i) & m)) {
                keys[i] = keys[j];
                vals[i] = vals[j];
                i = j;
            }
        }
        keys[i] = MmuOp.NONE;
    }

    interface Visitor {
        void visit(long key, long value);
    }

    void forEach(Visitor v) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != MmuOp.NONE) {
                v.visit(keys[i], vals[i]);
            }
        }
    }

    private void rehash() {
        long[] ok = keys;
        long[] ov = vals;
        keys = new long[ok.length * 2];
        vals = new long[ok.length * 2];
        java.util.Arrays.fill(keys, MmuOp.NONE);
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != MmuOp.NONE) {
                put(ok[i], ov[i]);
            }
        }
    }

    private static int slot(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 32);
    }
}
