package org.ptorder.ingest.xentrace;

/**
 * Human-readable decoding of one record's payload for {@code ptorder dump}: the fields the
 * analysis uses (hypercalls, PTWR, page faults, scheduling, lost records), raw words otherwise.
 */
public final class RecordText {
    private final Hypercalls.Call call = new Hypercalls.Call();
    private static final String[] STATES = {"running", "runnable", "blocked", "offline"};

    public String describe(XenRecord r) {
        int ev = r.event();
        int n = r.words();
        StringBuilder sb = new StringBuilder();
        if (ev == XenEvents.PV_HYPERCALL_V2 || ev == XenEvents.PV_HYPERCALL_SUBCALL) {
            Hypercalls.decode(r, call);
            sb.append(ev == XenEvents.PV_HYPERCALL_SUBCALL ? " subcall " : "hypercall ");
            String name = Hypercalls.name(call.op);
            sb.append(name != null ? name : "op_" + call.op).append(" (").append(call.op).append(')');
            if (call.op == Hypercalls.MMU_UPDATE || call.op == Hypercalls.MMUEXT_OP) {
                if (call.has(1)) {
                    sb.append(' ').append(call.count()).append(call.op == 1 ? " updates" : " ops");
                }
                if (call.preempted()) {
                    sb.append(" (preempted)");
                }
            } else if (call.op == Hypercalls.MULTICALL && call.has(1)) {
                sb.append(' ').append(call.count()).append(" calls");
            } else {
                for (int i = 0; i < 6; i++) {
                    if (call.has(i)) {
                        sb.append(" a").append(i).append('=').append(Long.toHexString(call.args[i]));
                    }
                }
            }
            if (!call.complete) {
                sb.append(" [short record]");
            }
            return sb.toString();
        }
        if (XenEvents.isRunstateChange(ev) && n >= 1) {
            int w = r.word(0);
            return String.format("runstate d%dv%d %s->%s", w >>> 16, w & 0xFFFF,
                STATES[(ev >> 8) & 0xF], STATES[(ev >> 4) & 0xF]);
        }
        if (ev == XenEvents.RUNSTATE_CONTINUE && n >= 1) {
            int w = r.word(0);
            return String.format("continue_running d%dv%d", w >>> 16, w & 0xFFFF);
        }
        if (ev == XenEvents.SCHED_SWITCH && n >= 4) {
            return String.format("switch d%dv%d -> d%dv%d", r.word(0), r.word(1), r.word(2), r.word(3));
        }
        if (ev == (XenEvents.PV_PTWR_EMULATION | XenEvents.TRC_64_FLAG) && n >= 6) {
            return String.format("ptwr_emulation pte=%016x addr=%016x rip=%016x", r.word64(0), r.word64(2), r.word64(4));
        }
        if (ev == XenEvents.PV_PTWR_EMULATION_PAE && n >= 4) {
            return String.format("ptwr_emulation_pae pte=%016x addr=%08x eip=%08x", r.word64(0), r.word(2), r.word(3));
        }
        if (ev == (XenEvents.PV_PAGE_FAULT | XenEvents.TRC_64_FLAG) && n >= 5) {
            return String.format("page_fault rip=%016x addr=%016x error=%x", r.word64(0), r.word64(2), r.word(4));
        }
        if (ev == XenEvents.PV_PAGE_FAULT && n >= 3) {
            return String.format("page_fault eip=%08x addr=%08x error=%x", r.word(0), r.word(1), r.word(2));
        }
        if (ev == XenEvents.LOST_RECORDS && n >= 4) {
            int who = r.word(1);
            return String.format("lost_records %d lost since tsc %d (d%dv%d current)", r.word(0) & 0xFFFFFFFFL,
                r.word64(2), who & 0xFFFF, who >>> 16);
        }
        if (ev == XenEvents.WRAP_BUFFER) {
            return "wrap_buffer (padding, " + r.bytes() + " bytes)";
        }
        sb.append(XenEvents.nameOrUnknown(ev));
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? " [" : " ").append(String.format("%08x", r.word(i)));
        }
        if (n > 0) {
            sb.append(']');
        }
        return sb.toString();
    }
}
