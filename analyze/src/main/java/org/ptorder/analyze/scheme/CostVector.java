package org.ptorder.analyze.scheme;

import java.util.ArrayList;
import java.util.List;

/**
 * What one scheme's replay cost (ordering-model §5.1's cost vector): hypercalls by type and
 * entries per hypercall, IPIs, initiator waits, locks, shared-line updates, condvars, flushes the
 * scheme added, and how each CPU's completion time moved against the recorded trace.
 */
public final class CostVector {
    long mmuUpdate;
    long mmuextOp;
    long multicall;
    long eventChannelOp;
    long updateVaMapping;
    long mmuEntries;
    long ipisSent;
    long ipisHandled;
    final WaitHistogram waits = new WaitHistogram();
    long lockAcquisitions;
    long lockContended;
    long lockContendedWait;
    long sharedLineUpdates;
    long condvarWaits;
    long condvarWakeups;
    long extraFlushes;
    long replayedOps;
    long[] completionDelta = new long[0];

    /** One metric row: name as stored in scheme_scores.metric, value, unit. */
    public record Metric(String name, double value, String unit) { }

    public List<Metric> metrics() {
        List<Metric> m = new ArrayList<>();
        long hc = mmuUpdate + mmuextOp + multicall + eventChannelOp + updateVaMapping;
        m.add(new Metric("hypercalls.mmu_update", mmuUpdate, "count"));
        m.add(new Metric("hypercalls.mmuext_op", mmuextOp, "count"));
        m.add(new Metric("hypercalls.multicall", multicall, "count"));
        m.add(new Metric("hypercalls.event_channel_op", eventChannelOp, "count"));
        m.add(new Metric("hypercalls.update_va_mapping", updateVaMapping, "count"));
        m.add(new Metric("hypercalls.total", hc, "count"));
        m.add(new Metric("mmu_update_entries", mmuEntries, "count"));
        long carriers = mmuUpdate + multicall;
        m.add(new Metric("entries_per_hypercall", carriers == 0 ? 0 : (double) mmuEntries / carriers,
            "entries/hypercall"));
        m.add(new Metric("ipis_sent", ipisSent, "count"));
        m.add(new Metric("ipis_handled", ipisHandled, "count"));
        m.add(new Metric("initiator_waits", waits.count(), "count"));
        m.add(new Metric("initiator_wait_ns.total", waits.total(), "ns"));
        m.add(new Metric("initiator_wait_ns.p50", waits.quantile(0.5), "ns"));
        m.add(new Metric("initiator_wait_ns.p99", waits.quantile(0.99), "ns"));
        m.add(new Metric("initiator_wait_ns.max", waits.max(), "ns"));
        m.add(new Metric("lock_acquisitions", lockAcquisitions, "count"));
        m.add(new Metric("lock_contended", lockContended, "count"));
        m.add(new Metric("lock_contended_wait_ns", lockContendedWait, "ns"));
        m.add(new Metric("shared_line_updates", sharedLineUpdates, "count"));
        m.add(new Metric("condvar_waits", condvarWaits, "count"));
        m.add(new Metric("condvar_wakeups", condvarWakeups, "count"));
        m.add(new Metric("extra_full_flushes", extraFlushes, "count"));
        long total = 0;
        long max = Long.MIN_VALUE;
        for (int c = 0; c < completionDelta.length; c++) {
            m.add(new Metric("completion_delta_ns.cpu" + c, completionDelta[c], "ns"));
            total += completionDelta[c];
            max = Math.max(max, completionDelta[c]);
        }
        m.add(new Metric("completion_delta_ns.total", total, "ns"));
        m.add(new Metric("completion_delta_ns.max", completionDelta.length == 0 ? 0 : max, "ns"));
        m.add(new Metric("replayed_ops", replayedOps, "count"));
        return m;
    }

    /** The value of one metric, or NaN. */
    public double get(String name) {
        for (Metric x : metrics()) {
            if (x.name().equals(name)) {
                return x.value();
            }
        }
        return Double.NaN;
    }
}
