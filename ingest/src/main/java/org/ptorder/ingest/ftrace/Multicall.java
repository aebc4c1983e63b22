package org.ptorder.ingest.ftrace;

/** Xen hypercall numbers that appear as multicall entries (xen/include/public/xen.h). */
final class Multicall {
    private Multicall() { }

    static final int MMU_UPDATE = 1;
    static final int STACK_SWITCH = 3;
    static final int MULTICALL = 13;
    static final int UPDATE_VA_MAPPING = 14;
    static final int MMUEXT_OP = 26;

    /** update_va_mapping flag: flush the TLB (local unless UVMF_ALL / a mask is given). */
    static final long UVMF_TLB_FLUSH = 1;
    static final long UVMF_FLUSHTYPE_MASK = 3;
    /** Request sizes in the argument buffer, for checking against xen_mc_flush's arg bytes. */
    static final int MMU_UPDATE_BYTES = 16;
    static final int MMUEXT_OP_BYTES = 24;
}
