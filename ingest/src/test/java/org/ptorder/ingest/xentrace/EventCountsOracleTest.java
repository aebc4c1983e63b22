package org.ptorder.ingest.xentrace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ptorder.ingest.RealData;
import org.ptorder.ingest.common.WarningList;

/**
 * Our per-event record counts of the real PV dom0 captures against the histogram that
 * xentrace_format (Xen's own decoder, with Xen's formats file) produced from the same files.
 * The formats file maps ids to the names in that histogram; ids it lacks print as "unknown".
 */
class EventCountsOracleTest {
    static Map<Integer, String> formatsNames() throws IOException {
        Map<Integer, String> m = new HashMap<>();
        for (String line : Files.readAllLines(RealData.file("xentrace-formats"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].startsWith("0x")) {
                // template: CPU%(cpu)d  %(tsc)d (+%(reltsc)8d)  NAME ...
                m.put(Integer.parseUnsignedInt(f[0].substring(2), 16), f[4]);
            }
        }
        return m;
    }

    static Map<String, Long> oracle(Path counts) throws IOException {
        Map<String, Long> m = new TreeMap<>();
        for (String line : Files.readAllLines(counts)) {
            String[] f = line.trim().split("\\s+", 2);
            if (f.length == 2) {
                m.put(f[1].trim(), Long.parseLong(f[0]));
            }
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {RealData.RUN_A, RealData.RUN_B})
    void perEventCountsEqualXentraceFormat(String run) throws IOException {
        Map<Integer, String> names = formatsNames();
        Map<String, Long> ours = new TreeMap<>();
        WarningList w = new WarningList();
        try (RecordCursor c = RecordCursor.open(TraceFile.open(RealData.run(run, "xen.trace")), w)) {
            while (c.next()) {
                ours.merge(names.getOrDefault(c.record().event(), "unknown"), 1L, Long::sum);
            }
            // xentrace_format prints the CPU-change framing records too.
            ours.put("cpu_change", c.frames().windows());
        }
        assertEquals(oracle(RealData.run(run, "xentrace-event-counts.txt")), ours);
        assertEquals(0, w.total(), () -> w.rows().toString());
    }
}
