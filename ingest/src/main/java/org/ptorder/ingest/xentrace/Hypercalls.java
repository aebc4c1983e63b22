package org.ptorder.ingest.xentrace;

/**
 * PV hypercall numbers and the argument encoding of {@code TRC_PV_HYPERCALL_V2} and
 * {@code _SUBCALL} records (reference/xentrace.md §2.4, §3.1): word 0 holds the op in bits 0-19
 * and six 2-bit presence fields (00 absent, 01 32-bit, 10 64-bit) in bits 20-31; the present
 * arguments follow in order.
 */
public final class Hypercalls {
    private Hypercalls() { }

    public static final int MMU_UPDATE = 1;
    public static final int MULTICALL = 13;
    public static final int UPDATE_VA_MAPPING = 14;
    public static final int MMUEXT_OP = 26;
    /** Continuation flag in the count of mmu_update / mmuext_op. */
    public static final long PREEMPTED = 0x80000000L;

    private static final String[] NAMES = new String[56];

    static {
        String[] n = {"set_trap_table", "mmu_update", "set_gdt", "stack_switch", "set_callbacks",
            "fpu_taskswitch", "sched_op_compat", "platform_op", "set_debugreg", "get_debugreg",
            "update_descriptor", null, "memory_op", "multicall", "update_va_mapping", "set_timer_op",
            "evtchn_op_compat", "xen_version", "console_io", "physdev_op_compat", "grant_table_op",
            "vm_assist", "update_va_mapping_otherdomain", "iret", "vcpu_op", "set_segment_base",
            "mmuext_op", "xsm_op", "nmi_op", "sched_op", "callback_op", "xenoprof_op", "evtchn_op",
            "physdev_op", "hvm_op", "sysctl", "domctl", "kexec_op", "tmem_op", "argo_op", "xenpmu_op",
            "dm_op", "hypfs_op"};
        System.arraycopy(n, 0, NAMES, 0, n.length);
        for (int i = 48; i < 56; i++) {
            NAMES[i] = "arch_" + (i - 48);
        }
    }

    /** The name of hypercall {@code op}, or null if unassigned. */
    public static String name(int op) {
        return op >= 0 && op < NAMES.length ? NAMES[op] : null;
    }

    public static int maxOp() {
        return NAMES.length - 1;
    }

    /**
     * A decoded V2/SUBCALL payload. {@code args[i]} is valid where bit {@code i} of
     * {@code present} is set. Reused; {@link #decode} refills it.
     */
    public static final class Call {
        public int op;
        public int present;
        public final long[] args = new long[6];
        /** False when the record is shorter than its presence bits promise. */
        public boolean complete;

        public boolean has(int i) {
            return (present & (1 << i)) != 0;
        }

        /** A1 masked of the continuation bit: the request count for mmu_update/mmuext_op/multicall. */
        public long count() {
            return has(1) ? args[1] & ~PREEMPTED & 0xFFFFFFFFL : -1;
        }

        /** Set when this mmu_update / mmuext_op record is the continuation of a preempted call. */
        public boolean preempted() {
            return (op == MMU_UPDATE || op == MMUEXT_OP) && has(1) && (args[1] & PREEMPTED) != 0;
        }
    }

    /**
     * Decodes a hypercall record into {@code out}: V2 and SUBCALL records (op and arguments), or
     * a legacy v1 record (Xen before 4.3: {@code eip, eax} or, 64-bit, {@code rip_lo, rip_hi,
     * eax}; only the op is known). {@code out.op} is -1 for anything else or too short.
     */
    public static void decode(XenRecord r, Call out) {
        int words = r.words();
        int ev = r.event();
        if (ev == XenEvents.PV_HYPERCALL_V1 || ev == (XenEvents.PV_HYPERCALL_V1 | XenEvents.TRC_64_FLAG)) {
            int eax = ev == XenEvents.PV_HYPERCALL_V1 ? 1 : 2;
            out.op = words > eax ? r.word(eax) & 0x000FFFFF : -1;
            out.present = 0;
            out.complete = words > eax;
            return;
        }
        if (ev != XenEvents.PV_HYPERCALL_V2 && ev != XenEvents.PV_HYPERCALL_SUBCALL) {
            out.op = -1;
            out.present = 0;
            out.complete = false;
            return;
        }
        if (words == 0) {
            out.op = -1;
            out.present = 0;
            out.complete = false;
            return;
        }
        int d0 = r.word(0);
        out.op = d0 & 0x000FFFFF;
        out.present = 0;
        out.complete = true;
        int w = 1;
        for (int i = 0; i < 6; i++) {
            int width = (d0 >>> (20 + 2 * i)) & 3;
            if (width == 0) {
                continue;
            }
            int need = width == 2 ? 2 : 1;
            if (width == 3 || w + need > words) {
                // A malformed record keeps no arguments rather than a misleading prefix of them.
                out.complete = false;
                out.present = 0;
                break;
            }
            out.args[i] = need == 2 ? r.word64(w) : r.word(w) & 0xFFFFFFFFL;
            out.present |= 1 << i;
            w += need;
        }
    }
}
