package org.ptorder.ingest.xentrace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptorder.ingest.common.WarningList;

/**
 * Random multi-pCPU traces written in the real format, read back: every record arrives once,
 * with its words intact, in (TSC, pCPU, file order) order, records without a TSC taking their
 * CPU's previous one — including pCPU numbers far beyond xenalyze's limit of 256. Seeds 9 and
 * 10 write windows of several hundred KB, far more than the reader copies out of the mapping at
 * a time, so records are read across its chunk boundaries too.
 */
class WriterMergeRoundTripTest {
    record Rec(int cpu, int event, long tsc, boolean hasTsc, int[] words, int order) { }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
    void mergedOrderAndContentSurviveTheFormat(long seed, @TempDir Path dir) throws Exception {
        Random rnd = new Random(seed);
        boolean bigWindows = seed > 8;
        int ncpu = bigWindows ? (int) seed - 8 : 1 + rnd.nextInt(12);
        int[] cpuIds = new int[ncpu];
        for (int i = 0; i < ncpu; i++) {
            cpuIds[i] = seed % 2 == 0 ? i : 300 + 7 * i; // beyond 256 too
        }
        long[] tsc = new long[ncpu];
        List<Rec> expected = new ArrayList<>();
        Path file = dir.resolve("t.bin");
        int order = 0;
        try (XentraceWriter w = new XentraceWriter(new BufferedOutputStream(Files.newOutputStream(file)))) {
            for (int i = 0; i < ncpu; i++) {
                tsc[i] = 1_000_000 + rnd.nextInt(1000);
            }
            int n = bigWindows ? 60_000 : 2000 + rnd.nextInt(3000);
            for (int k = 0; k < n; k++) {
                int i = rnd.nextInt(ncpu);
                int[] words = new int[rnd.nextInt(8)];
                for (int j = 0; j < words.length; j++) {
                    words[j] = rnd.nextInt();
                }
                int event = 0x00201000 | rnd.nextInt(0x100);
                boolean hasTsc = k < ncpu * 3 || rnd.nextInt(5) != 0;
                if (hasTsc) {
                    tsc[i] += rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(5000); // ties across CPUs too
                    w.record(cpuIds[i], event, tsc[i], words);
                } else {
                    w.recordNoTsc(cpuIds[i], event, words);
                }
                expected.add(new Rec(cpuIds[i], event, tsc[i], hasTsc, words, order++));
                if (rnd.nextInt(bigWindows ? 20_000 : 50) == 0) {
                    w.poll();
                }
            }
        }
        // A CPU's leading records without TSC take the first TSC of their window; the generator
        // always starts CPUs with a TSC-bearing record, so the expected inherited TSC is exact.
        expected.sort(Comparator.comparingLong(Rec::tsc).thenComparingInt(Rec::cpu).thenComparingInt(Rec::order));
        WarningList warnings = new WarningList();
        List<Rec> got = new ArrayList<>();
        try (RecordCursor c = RecordCursor.open(TraceFile.open(file), warnings)) {
            while (c.next()) {
                XenRecord r = c.record();
                int[] words = new int[r.words()];
                for (int j = 0; j < words.length; j++) {
                    words[j] = r.word(j);
                }
                assertEquals(got.size(), r.seq());
                got.add(new Rec(r.cpu(), r.event(), r.tsc(), r.hasTsc(), words, -1));
            }
        }
        assertEquals(expected.size(), got.size());
        for (int k = 0; k < got.size(); k++) {
            Rec e = expected.get(k);
            Rec g = got.get(k);
            String at = "record " + k;
            assertEquals(e.cpu(), g.cpu(), at);
            assertEquals(e.event(), g.event(), at);
            assertEquals(e.tsc(), g.tsc(), at);
            assertEquals(e.hasTsc(), g.hasTsc(), at);
            assertArrayEquals(e.words(), g.words(), at);
        }
        assertEquals(0, warnings.total());
    }
}
