package org.ptorder.ingest.pmap;

import java.util.Map;
import org.ptorder.ingest.mmu.MmuOp;

/**
 * The {@code #!} directives of a .pmt file.
 *
 * @param version    format version (only 1 exists)
 * @param cpus       {@code cpus=}: CPUs (vCPUs) in the trace, -1 when not declared
 * @param clock      {@code clock=}: unit of the time column
 * @param system     {@code system=}: the kernel that produced the trace, null when not declared
 * @param hz         {@code hz=}: cycles per second for {@code clock=cycles}, 0 when unknown
 * @param origin     {@code origin=}: the time (in clock units) that becomes ts 0; {@link MmuOp#NONE}
 *                   when not declared, in which case the first event's time is the origin
 * @param extensions {@code x-...=} directives, kept as text and otherwise ignored
 */
public record PmtHeader(int version, int cpus, Clock clock, String system, long hz, long origin,
                        Map<String, String> extensions) {

    public static final int VERSION = 1;
    /** CPU numbers (and cpus=) stay below this; Xen's PV limit is far lower. */
    public static final int MAX_CPUS = 4096;

    /** Unit of the time column. */
    public enum Clock {
        NS, US, CYCLES;

        public String text() {
            return name().toLowerCase();
        }
    }

    /** Systems whose traces this format describes; they only label the trace, parsing is the same. */
    public static final String[] SYSTEMS = {"netbsd", "linux"};
}
