package org.ptorder.ingest.pmap;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns byte ranges into Strings, reusing the String for text seen before. Lock names and
 * {@code at=} tags repeat on most lines of a trace; this keeps them to one allocation each. Once
 * {@link #LIMIT} distinct values are held it stops adding, so a trace of unique values cannot grow
 * it without bound.
 */
final class Interner {
    static final int LIMIT = 1 << 16;

    private byte[][] keys = new byte[1024][];
    private String[] vals = new String[1024];
    private int count;

    String get(byte[] b, int from, int to) {
        int h = ByteNames.hash(b, from, to);
        int m = keys.length - 1;
        for (int i = h & m; keys[i] != null; i = (i + 1) & m) {
            if (Arrays.equals(keys[i], 0, keys[i].length, b, from, to)) {
                return vals[i];
            }
        }
        String s = new String(b, from, to - from, StandardCharsets.UTF_8);
        if (count < LIMIT) {
            if (2 * (count + 1) > keys.length) {
                grow();
            }
            put(Arrays.copyOfRange(b, from, to), s, h);
        }
        return s;
    }

    private void put(byte[] k, String v, int h) {
        int m = keys.length - 1;
        int i = h & m;
        while (keys[i] != null) {
            i = (i + 1) & m;
        }
        keys[i] = k;
        vals[i] = v;
        count++;
    }

    private void grow() {
        byte[][] ok = keys;
        String[] ov = vals;
        keys = new byte[ok.length * 2][];
        vals = new String[ok.length * 2];
        count = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != null) {
                put(ok[i], ov[i], ByteNames.hash(ok[i], 0, ok[i].length));
            }
        }
    }
}
