package org.ptorder.analyze.scheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTest {
    @Test
    void aLineThroughThePerSizeMediansIsRecovered() {
        // medians of T_flush(n) = 700 + 150 n, with call counts as weights
        List<double[]> med = List.of(new double[] {1, 850, 100}, new double[] {2, 1000, 50},
            new double[] {8, 1900, 10}, new double[] {32, 5500, 3});
        Calibration.Fit f = Calibration.line(med, 163, "test");
        assertEquals(700, f.hNs(), 1e-6);
        assertEquals(150, f.uNs(), 1e-6);
        assertEquals(1, f.r2(), 1e-9);
        ScoreParams p = f.apply(ScoreParams.defaults());
        assertEquals(700, p.num("hypercall_ns"));
        assertEquals(150, p.num("mmu_update_entry_ns"));
    }

    @Test
    void noisyMediansGiveALowerR2() {
        List<double[]> med = List.of(new double[] {1, 850, 100}, new double[] {2, 3000, 50},
            new double[] {8, 1200, 10}, new double[] {32, 5500, 3});
        Calibration.Fit f = Calibration.line(med, 163, "test");
        assertTrue(f.r2() < 0.9 && f.rmsNs() > 100, f.describe());
    }
}
