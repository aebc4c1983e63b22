package org.ptorder.ingest.xentrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ptorder.ingest.RealData;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.common.WarningList;

/** Damaged and wrong inputs: a one-line error with offset, or everything readable plus warnings. */
class BadInputTest {
    @TempDir
    Path dir;

    private long readAll(Path p, WarningList w) {
        long n = 0;
        try (RecordCursor c = RecordCursor.open(TraceFile.open(p), w)) {
            while (c.next()) {
                n++;
            }
        }
        return n;
    }

    private TraceInputException fails(Path p) {
        return assertThrows(TraceInputException.class, () -> readAll(p, new WarningList()));
    }

    @Test
    void emptyFile() throws IOException {
        Path p = Files.write(dir.resolve("empty.bin"), new byte[0]);
        assertEquals(p + ": offset 0: empty file: expected a xentrace CPU-change record (header 0x2001f003)",
            fails(p).oneLine());
    }

    @Test
    void missingFileAndDirectory() {
        assertTrue(fails(dir.resolve("nope.bin")).oneLine().endsWith("no such file"));
        assertTrue(fails(dir).oneLine().endsWith("is a directory, expected a xentrace file"));
    }

    @Test
    void garbage() throws IOException {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Path p = Files.write(dir.resolve("junk.bin"), junk);
        String msg = fails(p).oneLine();
        assertTrue(msg.contains("offset 0: not a xentrace file: expected a CPU-change record"), msg);
    }

    @Test
    void shorterThanOneHeader() throws IOException {
        Path p = Files.write(dir.resolve("short.bin"), new byte[] {0x03, (byte) 0xF0, 0x01, 0x20, 0, 0});
        assertTrue(fails(p).oneLine().contains("offset 0: not a xentrace file"));
    }

    private static byte[] window(int cpu, int... words) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(XenEvents.CPU_CHANGE_HEADER).putInt(cpu).putInt(4 * words.length);
        for (int w : words) {
            b.putInt(w);
        }
        return b.array();
    }

    /** header word for an event with n words and a TSC */
    private static int h(int event, int n) {
        return event | n << 28 | 1 << 31;
    }

    @Test
    void windowSizePastEndOfFileReadsWhatIsThere() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(window(0, h(0x00201001, 1), 100, 0, 7));
        byte[] w2 = window(1, h(0x00201001, 0), 200, 0, h(0x00201001, 0), 300, 0);
        ByteBuffer.wrap(w2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 4000); // claims 4000 bytes
        o.write(w2);
        Path p = Files.write(dir.resolve("trunc.bin"), o.toByteArray());
        WarningList w = new WarningList();
        assertEquals(3, readAll(p, w));
        assertEquals("truncated_window", w.rows().get(0).kind());
        assertEquals(28, w.rows().get(0).offset()); // the second window's header
    }

    @Test
    void recordCrossingItsWindowIsSkippedWithAWarning() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        // second record claims 3 words but the window ends after 1
        o.write(window(0, h(0x00201001, 0), 100, 0, h(0x00201001, 3), 101, 0, 5));
        o.write(window(0, h(0x00201001, 0), 102, 0));
        Path p = Files.write(dir.resolve("cross.bin"), o.toByteArray());
        WarningList w = new WarningList();
        assertEquals(2, readAll(p, w));
        assertEquals("record_past_window", w.rows().get(0).kind());
        assertEquals(24, w.rows().get(0).offset());
    }

    @Test
    void garbageBetweenWindowsIsSkippedToTheNextWindow() throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(window(0, h(0x00201001, 0), 100, 0));
        o.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        o.write(window(1, h(0x00201001, 0), 101, 0));
        o.write(window(0, h(0x00201001, 0), 102, 0));
        Path p = Files.write(dir.resolve("gap.bin"), o.toByteArray());
        WarningList w = new WarningList();
        assertEquals(3, readAll(p, w));
        assertEquals(List.of("corrupt_window_header"), w.rows().stream().map(WarningList.Warning::kind).toList());
        assertTrue(w.rows().get(0).message().contains("skipped 16 byte(s)"), w.rows().get(0).message());
    }

    @Test
    void unknownEventIdIsKeptRaw() throws IOException {
        Path p = Files.write(dir.resolve("unk.bin"), window(0, h(0x0ABCDEF1 & 0x0FFFFFFF, 1), 5, 0, 42));
        try (RecordCursor c = RecordCursor.open(TraceFile.open(p), new WarningList())) {
            assertTrue(c.next());
            assertEquals(0x0ABCDEF1, c.record().event());
            assertEquals(42, c.record().word(0));
            assertEquals(null, XenEvents.name(c.record().event()));
            assertFalse(c.next());
        }
    }

    /**
     * The real capture cut at many offsets (window boundaries, inside headers, inside records):
     * every cut either reads a prefix of the records with warnings or, below 12 bytes, is
     * rejected with an offset. Never an exception of another kind, never more records.
     */
    @Test
    void realCaptureCutAnywhere() throws IOException {
        Path src = RealData.exampleBin();
        long full = readAll(src, new WarningList());
        long size = Files.size(src);
        TreeSet<Long> cuts = new TreeSet<>(List.of(0L, 1L, 4L, 11L, 12L, 13L, 16L, 24L, size - 1, size - 4));
        Random rnd = new Random(42);
        while (cuts.size() < 60) {
            cuts.add((long) rnd.nextInt((int) size));
        }
        long previous = -1;
        for (long cut : cuts) {
            Path p = Files.write(dir.resolve("cut.bin"), java.util.Arrays.copyOf(Files.readAllBytes(src), (int) cut));
            if (cut < 12) {
                assertThrows(TraceInputException.class, () -> readAll(p, new WarningList()), "cut " + cut);
                continue;
            }
            WarningList w = new WarningList();
            long n = readAll(p, w);
            assertTrue(n <= full, "cut " + cut);
            assertTrue(n >= previous, "a longer prefix must not read fewer records, cut " + cut);
            previous = n;
        }
    }
}
