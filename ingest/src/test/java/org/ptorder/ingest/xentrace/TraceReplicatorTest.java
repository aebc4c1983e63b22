package org.ptorder.ingest.xentrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.RealData;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.common.WarningList;

/** The benchmark's big files: whole copies of the source's whole windows, a valid capture. */
class TraceReplicatorTest {
    @TempDir
    Path dir;

    @Test
    void aSourceCutInsideAWindowIsReplicatedFromItsWholeWindows() throws IOException {
        // cut at a byte that is no multiple of four, inside a window
        byte[] head = Arrays.copyOf(Files.readAllBytes(RealData.run(RealData.RUN_A, "xen.trace")), 1_000_003);
        Path cut = Files.write(dir.resolve("cut.trace"), head);

        long one = TraceReplicator.replicate(cut, dir.resolve("one.trace"), 1);
        long three = TraceReplicator.replicate(cut, dir.resolve("three.trace"), 2 * one + 1);

        assertTrue(one > 0 && one < head.length, "the cut-off window is left out: " + one);
        assertEquals(3 * one, three);
        WarningList w = new WarningList();
        long perCopy = records(dir.resolve("one.trace"), w);
        assertTrue(perCopy > 0 && perCopy < records(cut, new WarningList()));
        assertEquals(3 * perCopy, records(dir.resolve("three.trace"), w));
        assertTrue(w.isEmpty(), "the copies are a valid capture: " + w.rows());
    }

    @Test
    void aSourceWithNoWholeWindowIsRefusedNotLoopedOn() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12 + 100).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(XenEvents.CPU_CHANGE_HEADER).putInt(0).putInt(1000); // claims 1000 bytes, has 100
        Path p = Files.write(dir.resolve("one-cut-window.trace"), b.array());
        TraceInputException e = assertThrows(TraceInputException.class,
            () -> TraceReplicator.replicate(p, dir.resolve("out.trace"), 1 << 20));
        assertTrue(e.oneLine().contains("no whole CPU window to replicate"), e.oneLine());
    }

    private static long records(Path p, WarningList w) throws IOException {
        long n = 0;
        try (RecordCursor c = RecordCursor.open(TraceFile.open(p), w)) {
            while (c.next()) {
                n++;
            }
        }
        return n;
    }
}
