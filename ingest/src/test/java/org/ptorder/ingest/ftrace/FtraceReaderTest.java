package org.ptorder.ingest.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptorder.ingest.common.TraceInputException;
import org.ptorder.ingest.common.WarningList;

class FtraceReaderTest {
    @TempDir
    Path dir;

    private static final String HEADER = String.join("\n",
        "# tracer: nop",
        "#",
        "# entries-in-buffer/entries-written: 3/5   #P:2",
        "#",
        "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
        "#              | |         |   |||||     |         |");

    private Path write(String name, String text, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    private static List<Long> lines(FtraceReader r) {
        List<Long> out = new ArrayList<>();
        while (r.next()) {
            out.add(r.line().lineNo);
        }
        return out;
    }

    @Test
    void headerGzipLostMarkerAndLastLineWithoutNewline() throws IOException {
        String text = HEADER + "\n"
            + "            init-1       [000] ...1.    15.774310: xen_mc_flush: flushing 0 hypercalls, 0 arg bytes, 0"
            + " callbacks\n"
            + "CPU:1 [LOST 2 EVENTS]\n"
            + "\n"
            + "          <idle>-0       [001] d..2.    15.774502: xen_mc_batch: start batch LAZY_CPU\r\n"
            + "          <idle>-0       [001] d..2.    15.774817: xen_mc_issue: start batch LAZY_CPU";
        WarningList w = new WarningList();
        List<long[]> losses = new ArrayList<>();
        try (FtraceReader r = FtraceReader.open(write("t.txt.gz", text, true), w)) {
            r.onLoss((line, cpu, n) -> losses.add(new long[] {line, cpu, n}));
            assertEquals(List.of(7L, 10L, 11L), lines(r));
            assertEquals("nop", r.header().tracer);
            assertEquals(TraceHeader.Layout.KERNEL, r.header().layout);
            assertEquals(3, r.header().entriesInBuffer);
            assertEquals(2, r.header().overwritten());
            assertEquals(2, r.header().cpus);
            assertEquals(2, r.lostEvents());
            assertEquals(0, r.unparsed());
            assertEquals(Boolean.FALSE, r.cycles());
        }
        assertEquals(1, losses.size());
        assertEquals(8, losses.get(0)[0]);
        assertEquals(1, losses.get(0)[1]);
        assertEquals("lost_events", w.rows().get(0).kind());
    }

    @Test
    void damagedLineInTheMiddleIsAWarningAndReadingGoesOn() throws IOException {
        String text = "cpus=2\n"
            + "            init-1     [000]    15.774310: xen_mc_flush:         flushing 0 hypercalls, 0 arg bytes, 0"
            + " callbacks\n"
            + "            init-1     [000]    15.77\u00004310: xen_mc_fl\n"
            + "          <idle>-0     [001]    15.774502: xen_mc_batch:         start batch LAZY_NONE\n";
        WarningList w = new WarningList();
        try (FtraceReader r = FtraceReader.open(write("r.txt", text, false), w)) {
            assertEquals(List.of(2L, 4L), lines(r));
            assertEquals(TraceHeader.Layout.TRACE_CMD, r.header().layout);
            assertEquals(1, r.unparsed());
        }
        WarningList.Warning only = w.rows().get(0);
        assertEquals("unparsed_line", only.kind());
        assertEquals(3, only.offset());
        assertTrue(only.message().startsWith("line 3, column 33: expected a timestamp"), only.message());
        assertTrue(only.message().contains("15.77?4310"), "control characters are not copied: " + only.message());
    }

    @Test
    void aFileThatIsNotFtraceFailsAtItsFirstLineNamingWhatWasExpected() throws IOException {
        Path p = write("notes.txt", "# tracer: nop\nhello, this is not a trace\n", false);
        TraceInputException e = assertThrows(TraceInputException.class, () -> {
            try (FtraceReader r = FtraceReader.open(p, new WarningList())) {
                r.next();
            }
        });
        assertTrue(e.oneLine().startsWith(p + ": line 2, column 1: not ftrace text: expected 'TASK-PID [CPU]'"),
            e.oneLine());
    }

    @Test
    void binaryGarbageIsNotCopiedIntoTheMessage() throws IOException {
        Path p = dir.resolve("garbage.bin");
        Files.write(p, new byte[] {(byte) 0xaa, (byte) 0xb3, 0x41, (byte) 0xf3, 0x07, (byte) 0xff, 0x42, '\n'});
        TraceInputException e = assertThrows(TraceInputException.class, () -> {
            try (FtraceReader r = FtraceReader.open(p, new WarningList())) {
                r.next();
            }
        });
        // aa, b3: not UTF-8; f3 starts a sequence that 07 (a control character) breaks; ff: not UTF-8
        assertTrue(e.oneLine().endsWith("found '??A???B'"), e.oneLine());
    }

    @Test
    void aCutOffGzipFileFailsAfterItsLastReadableLine() throws IOException {
        byte[] whole = Files.readAllBytes(write("cut.txt.gz", manyLines(30_000), true));
        Path p = Files.write(dir.resolve("cut.txt.gz"), java.util.Arrays.copyOf(whole, whole.length / 2));
        long read = 0;
        try (FtraceReader r = FtraceReader.open(p, new WarningList())) {
            TraceInputException e = assertThrows(TraceInputException.class, () -> {
                while (r.next()) {
                    continue;
                }
            });
            read = r.lines();
            assertTrue(read > 1000, "the lines before the damage were read: " + read);
            assertEquals(p + ": line " + (read + 1) + ": expected readable input after line " + read
                + "; found a read error: Unexpected end of ZLIB input stream", e.oneLine());
        }
    }

    @Test
    void clockMustNotChangeInTheMiddle() throws IOException {
        String text = "a-1 [000] 100: xen_mc_flush: flushing 0 hypercalls, 0 arg bytes, 0 callbacks\n"
            + "a-1 [000] 1.5: xen_mc_flush: flushing 0 hypercalls, 0 arg bytes, 0 callbacks\n"
            + "a-1 [000] 101: xen_mc_flush: flushing 0 hypercalls, 0 arg bytes, 0 callbacks\n";
        WarningList w = new WarningList();
        try (FtraceReader r = FtraceReader.open(write("c.txt", text, false), w)) {
            assertEquals(List.of(1L, 3L), lines(r));
            assertEquals(Boolean.TRUE, r.cycles());
        }
        assertTrue(w.rows().get(0).message().contains("cycle-count timestamp"));
    }

    @Test
    void linesLongerThanTheBufferAreRead() throws IOException {
        String longFields = "x".repeat(3 << 20);
        String text = "a-1 [000] 1.000001: some_event: " + longFields + "\na-1 [000] 1.000002: other: y\n";
        try (FtraceReader r = FtraceReader.open(write("l.txt", text, false), new WarningList())) {
            assertTrue(r.next());
            assertEquals(longFields.length(), r.line().end - r.line().fieldsStart);
            assertTrue(r.next());
            assertEquals("other", r.line().name());
        }
    }

    /** Enough lines for many chunks ({@link LineChunks#CHUNK}): every line must come out whole, in order, once. */
    private static String manyLines(int n) {
        StringBuilder t = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < n; i++) {
            if (i % 997 == 500) {
                t.append("CPU:1 [LOST 3 EVENTS]\n");
            }
            if (i % 1999 == 700) {
                t.append("  torn-1 [000] 1.5\u0000\u0000: xen_mc\n");
            }
            String pad = "x".repeat(i % 173); // lengths that fall across chunk ends in every phase
            t.append(String.format("%16s-%-7d [%03d] d..2. %6d.%06d: xen_mc_batch: start batch LAZY_MMU %s",
                "comm" + i % 13, i, i % 4, i / 1_000_000, i % 1_000_000, pad));
            t.append(i % 5 == 0 ? "\r\n" : "\n");
        }
        return t.toString();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void linesSpanningChunkEndsAreReadWholeAndInOrder(boolean gzip) throws IOException {
        int n = 30_000;
        String text = manyLines(n);
        assertTrue(text.length() > 8 * LineChunks.CHUNK, "the text must span many chunks");
        WarningList w = new WarningList();
        try (FtraceReader r = FtraceReader.open(write("m.txt" + (gzip ? ".gz" : ""), text, gzip), w)) {
            long prevLine = 0;
            for (int i = 0; i < n; i++) {
                assertTrue(r.next(), "event " + i);
                FtraceLine l = r.line();
                assertEquals(i, l.pid);
                assertEquals(i % 4, l.cpu);
                assertEquals("comm" + i % 13, l.comm());
                assertEquals((long) i * 1000, l.time);
                assertEquals("start batch LAZY_MMU " + "x".repeat(i % 173), l.fields());
                assertTrue(l.lineNo > prevLine);
                prevLine = l.lineNo;
            }
            assertFalse(r.next());
            assertEquals(text.chars().filter(c -> c == '\n').count(), r.lines());
            assertEquals(n, r.events());
            assertEquals(3L * 30, r.lostEvents());
            assertEquals(15, r.unparsed());
        }
        assertTrue(w.rows().stream().anyMatch(x -> x.kind().equals("unparsed_line") && x.offset() == 6 + 701 + 1));
    }

    @Test
    void closingBeforeTheEndStopsTheWorkers() throws IOException {
        Path p = write("e.txt", manyLines(30_000), false);
        try (FtraceReader r = FtraceReader.open(p, new WarningList())) {
            assertTrue(r.next());
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(
            t -> t.getName().startsWith("ftrace-split") && t.getName().endsWith(" e.txt")));
    }
}
