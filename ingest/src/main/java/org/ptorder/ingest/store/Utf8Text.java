package org.ptorder.ingest.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/** Checks that bytes about to become a VARCHAR are UTF-8, cheaply in the usual all-ASCII case. */
final class Utf8Text {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8Text() { }

    /** True when no byte of {@code b[off, off + len)} has its high bit set (eight at a time). */
    static boolean isAscii(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        long high = 0;
        for (; i + 8 <= end; i += 8) {
            high |= (long) LONGS.get(b, i);
        }
        for (; i < end; i++) {
            high |= b[i];
        }
        return (high & 0x8080808080808080L) == 0;
    }

    static boolean isValid(byte[] b, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The bytes with every invalid sequence replaced by U+FFFD. */
    static byte[] repaired(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
    }
}
