package org.ptorder.ingest.xentrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our event-name table against Xen's formats file: same name wherever both know an id. */
class EventNamesCrossCheckTest {
    @Test
    void namesAgreeWithXenFormatsFile() throws Exception {
        Map<Integer, String> formats = EventCountsOracleTest.formatsNames();
        List<String> differ = new ArrayList<>();
        int both = 0;
        for (Map.Entry<Integer, String> e : formats.entrySet()) {
            String ours = XenEvents.name(e.getKey());
            if (ours == null || e.getKey() == XenEvents.PV_HYPERCALL_SUBCALL) {
                continue; // we tell multicall entries apart from hypercalls on purpose
            }
            both++;
            if (!ours.equals(e.getValue())) {
                differ.add(String.format("0x%08x ours=%s formats=%s", e.getKey(), ours, e.getValue()));
            }
        }
        assertEquals(List.of(), differ);
        assertTrue(both >= 100, "expected most ids in common, got " + both);
        // Every PV and GEN id of the formats file is known to us.
        formats.keySet().stream().filter(id -> (id >>> 16 & 0xFFF) == XenEvents.CLASS_PV
                || (id >>> 16 & 0xFFF) == XenEvents.CLASS_GEN)
            .forEach(id -> assertTrue(XenEvents.name(id) != null, String.format("0x%08x unknown", id)));
    }
}
