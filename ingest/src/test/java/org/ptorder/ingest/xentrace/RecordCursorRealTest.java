package org.ptorder.ingest.xentrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.RealData;
import org.ptorder.ingest.common.WarningList;

class RecordCursorRealTest {
    @Test
    void exampleCaptureFramingAndMerge() {
        WarningList w = new WarningList();
        try (RecordCursor c = RecordCursor.open(TraceFile.open(RealData.exampleBin()), w)) {
            long n = 0, wraps = 0, noTsc = 0, prevTsc = Long.MIN_VALUE;
            TreeSet<Integer> cpus = new TreeSet<>();
            while (c.next()) {
                XenRecord r = c.record();
                n++;
                cpus.add(r.cpu());
                if (r.event() == XenEvents.WRAP_BUFFER) {
                    wraps++;
                }
                if (!r.hasTsc()) {
                    noTsc++;
                }
                assertTrue(r.tsc() >= prevTsc, "merged timeline goes back at seq " + r.seq());
                prevTsc = r.tsc();
            }
            assertEquals(187, c.frames().windows());
            assertEquals(8, c.frames().cpuCount());
            assertEquals(180493, n);
            assertEquals(27, wraps);
            assertEquals(7548, noTsc);
            assertEquals(8, cpus.size());
            assertEquals(0, c.backwardsTscCount());
            assertTrue(w.isEmpty(), () -> "warnings: " + w.rows());
        }
    }
}
