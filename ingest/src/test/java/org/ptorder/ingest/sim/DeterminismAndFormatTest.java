package org.ptorder.ingest.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.common.WarningList;
import org.ptorder.ingest.mmu.Op;
import org.ptorder.ingest.pmap.PmtReader;
import org.ptorder.ingest.pmap.PmtWriter;

/** Same seed, same bytes; and the fast writer's bytes are exactly PmtWriter's. */
class DeterminismAndFormatTest {
    private static SimConfig all(String system, long seed, long events) {
        Map<InjectionKind, Double> m = new EnumMap<>(InjectionKind.class);
        for (InjectionKind k : InjectionKind.values()) {
            m.put(k, 0.003);
        }
        return new SimConfig(system, 3, events, 0, "mixed", seed, m);
    }

    @Test
    void sameSeedSameBytes() {
        for (String system : List.of("netbsd", "linux")) {
            Sims.Out a = Sims.run(all(system, 42, 60_000), true, true);
            Sims.Out b = Sims.run(all(system, 42, 60_000), true, true);
            assertArrayEquals(a.pmt(), b.pmt(), system + " .pmt");
            assertArrayEquals(a.xentrace(), b.xentrace(), system + " xentrace");
            assertArrayEquals(a.truth(), b.truth(), system + " truth");
            Sims.Out c = Sims.run(all(system, 43, 60_000), true, true);
            assertFalse(java.util.Arrays.equals(a.pmt(), c.pmt()), "another seed, another trace");
            // the xentrace output does not change the .pmt
            Sims.Out d = Sims.run(all(system, 42, 60_000), false, false);
            assertArrayEquals(a.pmt().length > 0 ? stripXenComment(a.pmt()) : a.pmt(), d.pmt());
        }
    }

    private static byte[] stripXenComment(byte[] pmt) {
        String s = new String(pmt, StandardCharsets.US_ASCII);
        return s.replaceFirst("# xentrace: [^\n]*\n", "").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void durationLimitStopsInTime() {
        SimConfig cfg = new SimConfig("linux", 2, 0, 5_000_000, "munmap-storm", 1, Map.of());
        Sims.Out out = Sims.run(cfg, false, false);
        long ns = out.result().stats().simulatedNs();
        assertTrue(ns >= 5_000_000 && ns < 5_500_000, "simulated " + ns + " ns");
    }

    @Test
    void fastWriterBytesAreExactlyPmtWritersBytes() {
        for (String system : List.of("netbsd", "linux")) {
            Sims.Out out = Sims.run(all(system, 7, 80_000), false, false);
            WarningList w = new WarningList();
            StringBuilder again = new StringBuilder();
            StringBuilder comments = new StringBuilder();
            for (String line : out.pmtText().split("\n")) {
                if (line.startsWith("# ")) {
                    comments.append(line.substring(2));
                }
            }
            try (PmtReader r = new PmtReader(Path.of("sim.pmt"), new ByteArrayInputStream(out.pmt()), 0, w)) {
                PmtWriter pw = null;
                while (r.next()) {
                    if (pw == null) {
                        pw = new PmtWriter(again, r.header().cpus(), r.header().system());
                        pw.comment(comments.toString());
                    }
                    pw.write(r.op());
                }
            }
            assertTrue(w.isEmpty(), () -> w.rows().toString());
            assertEquals(out.pmtText(), again.toString(), system);
        }
    }

    @Test
    void everyOpOfTheVocabularyThatAGuestIssuesIsThere() {
        for (String system : List.of("netbsd", "linux")) {
            Sims.Out out = Sims.run(all(system, 9, 200_000), false, false);
            Map<Op, Long> by = out.result().stats().byOp();
            for (Op o : List.of(Op.ENQ, Op.FLUSH, Op.TLB_FLUSH, Op.INVLPG, Op.TLB_FLUSH_MULTI, Op.INVLPG_MULTI,
                Op.INVLPG_ALL, Op.NEW_BASEPTR, Op.PIN, Op.UNPIN, Op.MAP_TABLE, Op.OOB_READ, Op.RMW, Op.FRAME_FREE,
                Op.FRAME_ALLOC, Op.LOCK, Op.UNLOCK, Op.MIGRATE)) {
                assertTrue(by.getOrDefault(o, 0L) > 0, system + " never issued " + o);
            }
            if (system.equals("linux")) {
                for (Op o : List.of(Op.LAZY_ENTER, Op.LAZY_LEAVE, Op.UPDATE_VA_MAPPING, Op.IPI_SEND, Op.IPI_RECV,
                    Op.IPI_ACK, Op.IPI_DONE)) {
                    assertTrue(by.getOrDefault(o, 0L) > 0, system + " never issued " + o);
                }
            } else {
                assertTrue(by.getOrDefault(Op.TLB_FLUSH_ALL, 0L) + by.getOrDefault(Op.INVLPG_ALL, 0L) > 0);
            }
        }
    }
}
