package org.ptorder.ingest.pmap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Looks up a byte range in a fixed set of ASCII names without allocating: the parser's op and
 * key lookups, which run for every token of every line.
 */
final class ByteNames<T> {
    private final byte[][] names;
    private final Object[] values;
    private final int mask;

    ByteNames(Map<String, T> entries) {
        int size = Integer.highestOneBit(Math.max(4, entries.size() * 4) - 1) << 1;
        names = new byte[size][];
        values = new Object[size];
        mask = size - 1;
        for (Map.Entry<String, T> e : entries.entrySet()) {
            byte[] b = e.getKey().getBytes(StandardCharsets.US_ASCII);
            int i = hash(b, 0, b.length) & mask;
            while (names[i] != null) {
                i = (i + 1) & mask;
            }
            names[i] = b;
            values[i] = e.getValue();
        }
    }

    @SuppressWarnings("unchecked")
    T get(byte[] b, int from, int to) {
        for (int i = hash(b, from, to) & mask; names[i] != null; i = (i + 1) & mask) {
            if (Arrays.equals(names[i], 0, names[i].length, b, from, to)) {
                return (T) values[i];
            }
        }
        return null;
    }

    static int hash(byte[] b, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }
}
