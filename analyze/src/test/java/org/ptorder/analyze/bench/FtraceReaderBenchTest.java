package org.ptorder.analyze.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ptorder.ingest.common.WarningSink;
import org.ptorder.ingest.ftrace.FtraceReader;

/** The benchmark's repeated file is one valid trace: every copy's events, times shifted by whole copies. */
class FtraceReaderBenchTest {
    private static final String HEADER = """
        # tracer: nop
        #
        #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
        #              | |         |   |||||     |         |
        """;

    @ParameterizedTest
    @CsvSource({"15.774310, 15.774502, 15.774834, false", "71568784182, 71568934752, 71569823976, true"})
    void copiesShiftTimesPastTheCopyBefore(String t0, String t1, String t2, boolean cycles, @TempDir Path dir)
            throws IOException {
        String text = HEADER
            + "            init-1       [000] ...1.  " + t0 + ": xen_mmu_set_pte: ptep ffff888101f8ff50 pteval 8000000102167967 (raw 8000000139789967)\n"
            + "          <idle>-0       [001] d..2.  " + t1 + ": xen_mc_batch: start batch LAZY_CPU\n"
            + "          <idle>-0       [001] d..2.  " + t2 + ": xen_mc_flush: flushing 0 hypercalls, 0 arg bytes, 0 callbacks\n";
        Path source = dir.resolve("source.txt");
        Files.writeString(source, text);
        Path big = dir.resolve("big.txt");

        long lines = FtraceReaderBench.repeatTo(source, 3L * text.length() + 1, big);

        List<Long> times = new ArrayList<>();
        try (FtraceReader r = FtraceReader.open(big, WarningSink.IGNORE)) {
            while (r.next()) {
                times.add(r.line().time);
                assertEquals(cycles, r.line().cycles);
            }
            assertEquals(0, r.unparsed());
        }
        assertTrue(Files.size(big) > 3L * text.length(), "at least the size asked for");
        assertEquals(Files.readString(big).lines().count(), lines, "line count as wc -l counts");
        assertEquals(0, times.size() % 3);
        assertTrue(times.size() >= 12, "four or more copies: " + times.size());
        long span = times.get(2) - times.get(0) + (cycles ? 1 : 1000);
        for (int i = 3; i < times.size(); i++) {
            assertEquals(times.get(i - 3) + span, times.get(i), "event " + i + " is its copy-before's time plus one span");
        }
        assertTrue(Files.readString(big).startsWith(text), "the first copy is the source, headers included");
    }
}
