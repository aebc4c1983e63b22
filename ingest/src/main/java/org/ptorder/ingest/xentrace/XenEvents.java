package org.ptorder.ingest.xentrace;

import java.util.HashMap;
import java.util.Map;

/**
 * Event ids of the xentrace format and their names (reference/xentrace.md §1.5, §2). The names
 * follow the ones Xen's own tools print, so counts compare directly with xentrace_format output;
 * Xen's {@code formats} file is only a cross-check in the tests.
 */
public final class XenEvents {
    private XenEvents() { }

    // TRC_GEN: framing records written by xentrace or the trace-buffer code itself.
    public static final int LOST_RECORDS = 0x0001F001;
    public static final int WRAP_BUFFER = 0x0001F002;
    public static final int CPU_CHANGE = 0x0001F003;
    /** Full header word of a CPU-change record: two extra words, no TSC. */
    public static final int CPU_CHANGE_HEADER = 0x2001F003;

    // TRC_SCHED
    public static final int SCHED_MIN = 0x00021000;
    public static final int RUNSTATE_CONTINUE = 0x00021002;
    public static final int SCHED_VERBOSE = 0x00028000;
    public static final int SCHED_SWITCH = 0x0002800A;

    // TRC_PV
    public static final int PV_HYPERCALL_V1 = 0x00201001;
    public static final int PV_TRAP = 0x00201003;
    public static final int PV_PAGE_FAULT = 0x00201004;
    public static final int PV_FORCED_INVALID_OP = 0x00201005;
    public static final int PV_EMULATE_PRIVOP = 0x00201006;
    public static final int PV_EMULATE_4GB = 0x00201007;
    public static final int PV_MATH_STATE_RESTORE = 0x00201008;
    public static final int PV_PAGING_FIXUP = 0x00201009;
    public static final int PV_GDT_LDT_MAPPING_FAULT = 0x0020100A;
    public static final int PV_PTWR_EMULATION = 0x0020100B;
    public static final int PV_PTWR_EMULATION_PAE = 0x0020100C;
    public static final int PV_HYPERCALL_V2 = 0x0020100D;
    public static final int PV_HYPERCALL_SUBCALL = 0x0020200E;
    /** Marks the variant of a PV event that carries 64-bit addresses. */
    public static final int TRC_64_FLAG = 0x100;

    public static final int CLASS_GEN = 0x0001;
    public static final int CLASS_SCHED = 0x0002;
    public static final int CLASS_DOM0OP = 0x0004;
    public static final int CLASS_HVM = 0x0008;
    public static final int CLASS_MEM = 0x0010;
    public static final int CLASS_PV = 0x0020;
    public static final int CLASS_SHADOW = 0x0040;
    public static final int CLASS_HW = 0x0080;
    public static final int CLASS_GUEST = 0x0800;

    private static final String[] RUNSTATES = {"running", "runnable", "blocked", "offline"};
    private static final Map<Integer, String> NAMES = new HashMap<>();

    static {
        NAMES.put(LOST_RECORDS, "lost_records");
        NAMES.put(WRAP_BUFFER, "wrap_buffer");
        NAMES.put(CPU_CHANGE, "cpu_change");
        NAMES.put(0x0001F004, "trace_irq");

        NAMES.put(RUNSTATE_CONTINUE, "continue_running");
        for (int from = 0; from < 4; from++) {
            for (int to = 0; to < 4; to++) {
                if (from != to) {
                    NAMES.put(runstateEvent(from, to), RUNSTATES[from] + "_to_" + RUNSTATES[to]);
                }
            }
        }
        String[] verbose = {null, "sched_add_domain", "sched_rem_domain", "domain_sleep", "domain_wake",
            "do_yield", "do_block", "domain_shutdown", "sched_ctl", "sched_adjdom", "__enter_scheduler",
            "s_timer_fn", "t_timer_fn", "dom_timer_fn", "switch_infprev", "switch_infnext",
            "domain_shutdown_code", "switch_infcont"};
        for (int i = 1; i < verbose.length; i++) {
            NAMES.put(SCHED_VERBOSE + i, verbose[i]);
        }
        // Credit2 (scheduler id 1): 0x000222xx. 0x22217 is the run-queue candidate check that Xen's
        // formats file lacks; 0x22216 was its older spelling.
        String[] credit2 = {null, "tick", "runq_pos", "credit", "credit_add", "tickle_check", "tickle",
            "credit_reset", "sched_tasklet", "update_load", "runq_assign", "updt_vcpu_load", "updt_runq_load",
            "tickle_new", "runq_max_weight", "migrrate", "load_check", "load_balance", "pick_cpu",
            "runq_candidate", "schedule", "ratelimit", "runq_cand_chk", "runq_cand_check"};
        for (int i = 1; i < credit2.length; i++) {
            NAMES.put(0x00022200 + i, "csched2:" + credit2[i]);
        }
        String[] credit = {null, "sched_tasklet", "account_start", "account_stop", "stolen_vcpu", "picked_cpu",
            "tickle", "boost", "unboost", "schedule", "ratelimit", "steal_check"};
        for (int i = 1; i < credit.length; i++) {
            NAMES.put(0x00022000 + i, "csched:" + credit[i]);
        }
        String[] rtds = {null, "tickle", "runq_pick", "burn_budget", "repl_budget", "sched_tasklet", "schedule"};
        for (int i = 1; i < rtds.length; i++) {
            NAMES.put(0x00022800 + i, "rtds:" + rtds[i]);
        }
        NAMES.put(0x00041001, "domain_create");
        NAMES.put(0x00041002, "domain_destroy");

        String[] pv = {null, "hypercall", null, "trap", "page_fault", "forced_invalid_op", "emulate_privop",
            "emulate_4G", "math_state_restore", "paging_fixup", "gdt_ldt_mapping_fault", "ptwr_emulation",
            "ptwr_emulation_pae"};
        for (int i = 1; i < pv.length; i++) {
            if (pv[i] != null) {
                NAMES.put(0x00201000 + i, pv[i]);
                NAMES.put(0x00201000 + TRC_64_FLAG + i, pv[i]);
            }
        }
        NAMES.put(PV_HYPERCALL_V2, "hypercall");
        NAMES.put(PV_HYPERCALL_SUBCALL, "hypercall_subcall"); // Xen's formats file says "hypercall" for both

        NAMES.put(0x0010F001, "page_grant_map");
        NAMES.put(0x0010F002, "page_grant_unmap");
        NAMES.put(0x0010F003, "page_grant_transfer");
        NAMES.put(0x0010F004, "set_p2m_entry");
        NAMES.put(0x0010F005, "decrease_reservation");
        NAMES.put(0x0010F010, "pod_populate");
        NAMES.put(0x0010F011, "pod_zero_reclaim");
        NAMES.put(0x0010F012, "pod_superpage_splinter");

        String[] hwIrq = {null, "cleanup_move_delayed", "cleanup_move", "bind_vector", "clear_vector",
            "move_vector", "assign_vector", "bogus_vector", "do_irq"};
        for (int i = 1; i < hwIrq.length; i++) {
            NAMES.put(0x00802000 + i, hwIrq[i]);
        }
        NAMES.put(0x00801001, "cpu_freq_change");
        NAMES.put(0x00801002, "cpu_idle_entry");
        NAMES.put(0x00801003, "cpu_idle_exit");

        NAMES.put(0x00081001, "VMENTRY");
        NAMES.put(0x00081002, "VMEXIT");
        NAMES.put(0x00081102, "VMEXIT");
        NAMES.put(0x00082014, "INVLPG");
        NAMES.put(0x00082114, "INVLPG");
        NAMES.put(0x00082009, "CR_WRITE");
        NAMES.put(0x00082109, "CR_WRITE");
        NAMES.put(0x00082001, "PF_XEN");
        NAMES.put(0x00082101, "PF_XEN");
        NAMES.put(0x00082021, "NPF");
        NAMES.put(0x00082012, "VMMCALL");
    }

    /** The runstate-change event id for a transition between two of the four runstates. */
    public static int runstateEvent(int from, int to) {
        return SCHED_MIN | 1 | from << 8 | to << 4;
    }

    public static boolean isRunstateChange(int event) {
        return (event & 0x0FFFF00F) == (SCHED_MIN | 1) && ((event >> 8) & 0xF) < 4 && ((event >> 4) & 0xF) < 4;
    }

    /** Our name for an event id, or null when the table does not know it. */
    public static String name(int event) {
        return NAMES.get(event);
    }

    /** Our name, or {@code unknown (0x...)} as xentrace_format prints it. */
    public static String nameOrUnknown(int event) {
        String n = NAMES.get(event);
        return n != null ? n : String.format("unknown (0x%08x)", event);
    }

    /** The one-hot class field, bits 16-27. */
    public static int classOf(int event) {
        return (event >>> 16) & 0xFFF;
    }

    public static String className(int event) {
        switch (classOf(event)) {
            case CLASS_GEN: return "gen";
            case CLASS_SCHED: return "sched";
            case CLASS_DOM0OP: return "dom0op";
            case CLASS_HVM: return "hvm";
            case CLASS_MEM: return "mem";
            case CLASS_PV: return "pv";
            case CLASS_SHADOW: return "shadow";
            case CLASS_HW: return "hw";
            case CLASS_GUEST: return "guest";
            default: return "other";
        }
    }

    /** Known event ids, for tests and the {@code event_types} table. */
    public static Map<Integer, String> table() {
        return Map.copyOf(NAMES);
    }
}
