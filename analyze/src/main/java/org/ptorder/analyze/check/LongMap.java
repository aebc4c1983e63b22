package org.ptorder.analyze.check;

import java.util.Arrays;
import java.util.function.BiConsumer;

/** An open-addressing hash map from long keys to objects (no boxing on the hot path). */
final class LongMap<V> {
    private static final long EMPTY = Long.MIN_VALUE + 1;
    private long[] keys;
    private Object[] vals;
    private int size;
    private int mask;

    LongMap() {
        this(16);
    }

    LongMap(int cap) {
        int c = Integer.highestOneBit(Math.max(4, cap) * 2 - 1);
        keys = new long[c];
        Arrays.fill(keys, EMPTY);
        vals = new Object[c];
        mask = c - 1;
    }

    /** MurmurHash3's fmix64: PTE addresses and frame numbers are highly structured. */
    private static int hash(long k) {
        long h = k;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    @SuppressWarnings("unchecked")
    V get(long k) {
        int i = hash(k) & mask;
        while (true) {
            long kk = keys[i];
            if (kk == k) {
                return (V) vals[i];
            }
            if (kk == EMPTY) {
                return null;
            }
            i = (i + 1) & mask;
        }
    }

    void put(long k, V v) {
        if (k == EMPTY) {
            throw new IllegalArgumentException("reserved key");
        }
        int i = hash(k) & mask;
        while (true) {
            long kk = keys[i];
            if (kk == k) {
                vals[i] = v;
                return;
            }
            if (kk == EMPTY) {
                keys[i] = k;
                vals[i] = v;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Removes {@code k} (backward-shift deletion keeps probe chains intact). */
    @SuppressWarnings("unchecked")
    V remove(long k) {
        int i = hash(k) & mask;
        while (true) {
            long kk = keys[i];
            if (kk == EMPTY) {
                return null;
            }
            if (kk == k) {
                break;
            }
            i = (i + 1) & mask;
        }
        V old = (V) vals[i];
        size--;
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            long kj = keys[j];
            if (kj == EMPTY) {
                break;
            }
            int home = hash(kj) & mask;
            // move kj into the hole if its home is not in (hole, j]
            boolean between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
            if (!between) {
                keys[hole] = kj;
                vals[hole] = vals[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        vals[hole] = null;
        return old;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    void forEach(BiConsumer<Long, V> f) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                f.accept(keys[i], (V) vals[i]);
            }
        }
    }

    /** Each value (no boxing of keys). */
    @SuppressWarnings("unchecked")
    void forEachValue(java.util.function.Consumer<V> f) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                f.accept((V) vals[i]);
            }
        }
    }

    /** Removes every entry whose value {@code drop} says so of. */
    @SuppressWarnings("unchecked")
    void removeIf(java.util.function.Predicate<V> drop) {
        long[] gone = new long[16];
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY && drop.test((V) vals[i])) {
                if (n == gone.length) {
                    gone = Arrays.copyOf(gone, n * 2);
                }
                gone[n++] = keys[i];
            }
        }
        for (int i = 0; i < n; i++) {
            remove(gone[i]);
        }
    }

    private void grow() {
        long[] ok = keys;
        Object[] ov = vals;
        keys = new long[ok.length * 2];
        Arrays.fill(keys, EMPTY);
        vals = new Object[ok.length * 2];
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY) {
                put(ok[i], (V) ov[i]);
            }
        }
    }
}
