package org.ptorder.analyze.diff;

import java.util.List;

/**
 * What changed between two analyses ({@code mode} "databases": two databases; "schemes": two
 * schemes of one database's scheme_scores). Built by {@link DiffLoader}; shown by the report
 * renderers as a section of its own.
 *
 * @param metrics      every metric of either side, by name (one side may lack it: null)
 * @param findings     finding groups that differ (new, gone, label changed), at most a cap
 * @param matched      finding groups present on both sides with the same labels
 * @param findingsLeft groups that differ but are beyond the cap
 * @param notes        what could not be compared, e.g. a side that was never checked
 */
public record DiffData(String mode, String a, String b, List<MetricDelta> metrics, List<FindingDelta> findings,
                       long matched, long added, long gone, long relabelled, long findingsLeft, List<String> notes) {

    /** One metric on both sides. {@code low}/{@code high}: the uncertainty range where the metric has one. */
    public record MetricDelta(String metric, String unit, Double a, Double b, Double lowA, Double highA, Double lowB,
                              Double highB) {
        public Double delta() {
            return a == null || b == null ? null : b - a;
        }

        /** (b - a) / |a|; null when a is 0 or missing. */
        public Double relative() {
            return a == null || b == null || a == 0 ? null : (b - a) / Math.abs(a);
        }

        public boolean changed() {
            return a == null || b == null ? a != b : Double.compare(a, b) != 0;
        }

        /**
         * Whether the change is beyond the uncertainty: the two ranges do not overlap. Without
         * ranges, any change counts.
         */
        public boolean significant() {
            if (!changed()) {
                return false;
            }
            if (a == null || b == null || lowA == null || highA == null || lowB == null || highB == null) {
                return true;
            }
            return highA < lowB || highB < lowA;
        }
    }

    /**
     * A group of findings with the same identity (class, PTE or VA, writer's and reader's code
     * location), counted on each side. {@code change}: "new" (only in B), "gone" (only in A),
     * "label" (both, with different labels), "count" (both, same labels, a different number).
     * {@code example} describes one finding of the group from the side that has it.
     */
    public record FindingDelta(String change, String cls, String place, String writerLoc, String readerLoc,
                               long countA, long countB, String labelsA, String labelsB, String example) { }
}
