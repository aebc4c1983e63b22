package org.ptorder.ingest.ftrace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Tests on eight bytes of text at once (SWAR): a {@code long} holds eight bytes of a line, the
 * first in its lowest byte. A test sets the high bit of every byte it holds for.
 */
final class Swar {
    static final long ONES = 0x0101010101010101L;
    static final long HIGHS = 0x8080808080808080L;
    static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    static final long COLONS = 0x3A3A3A3A3A3A3A3AL;
    static final long BRACKETS = 0x5B5B5B5B5B5B5B5BL;
    static final long SPACES = 0x2020202020202020L;
    static final long TABS = 0x0909090909090909L;
    static final long ZEROS = 0x3030303030303030L;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Swar() { }

    /** The eight bytes at {@code b[i]} (there must be eight). */
    static long load(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** Every byte of {@code w} equal to that byte of {@code pattern}; exact (no borrow from one byte to the next). */
    static long equal(long w, long pattern) {
        long x = w ^ pattern;
        return ~((x & LOWS) + LOWS | x) & HIGHS;
    }

    /** Every byte of {@code w} that is not an ASCII digit. */
    static long nonDigits(long w) {
        long aboveNine = (w & LOWS) + 0x4646464646464646L; // high bit: (c & 0x7f) >= ':'
        long fromZero = (w | HIGHS) - ZEROS;              // high bit: (c & 0x7f) >= '0'
        return (aboveNine | ~fromZero | w) & HIGHS;
    }

    /** The high bits of a test's result as eight bits, the first byte's lowest. */
    static int gather(long highs) {
        return (int) ((highs >>> 7) * 0x0102040810204080L >>> 56);
    }

    /** The low {@code n} bytes of a word set (1 to 8). */
    static long lowBytes(int n) {
        return -1L >>> 64 - 8 * n;
    }

    /** The value of the first n (1 to 8) bytes of w, all digits. */
    static long firstDigits(long w, int n) {
        // shifting them to the top fills the bytes below with zero digits
        return digitValue((w - ZEROS) << 64 - 8 * n);
    }

    /** The value of the last n (1 to 8) bytes of w, all digits. */
    static long lastDigits(long w, int n) {
        long m = -1L << 64 - 8 * n; // the bytes below become zero digits
        return digitValue((w & m) - (ZEROS & m));
    }

    /** Eight digit values (0-9, the first in the lowest byte) as one number. */
    static long digitValue(long v) {
        v = (v & 0x0F0F0F0F0F0F0F0FL) * 2561 >>> 8;                  // pairs: 10 * a + b
        v = (v & 0x00FF00FF00FF00FFL) * 6553601 >>> 16;              // quads: 100 * ab + cd
        return (v & 0x0000FFFF0000FFFFL) * 42949672960001L >>> 32;  // 10000 * abcd + efgh
    }
}
