package org.ptorder.ingest.ftrace;

import java.nio.charset.StandardCharsets;

/**
 * The tracepoints the lowering understands, each with every name it has had across kernel
 * versions (reference/xentrace.md §6.1). Lookup works on the raw bytes of a line so the hot
 * path allocates nothing; names are matched without their {@code system:} prefix.
 */
public enum EventKind {
    MC_BATCH("xen_mc_batch"),
    MC_ISSUE("xen_mc_issue"),
    MC_ENTRY("xen_mc_entry"),
    MC_ENTRY_ALLOC("xen_mc_entry_alloc"),
    MC_CALLBACK("xen_mc_callback"),
    MC_FLUSH_REASON("xen_mc_flush_reason"),
    MC_FLUSH("xen_mc_flush"),
    MC_EXTEND_ARGS("xen_mc_extend_args"),
    SET_PTE("xen_mmu_set_pte", "xen_mmu_set_pte_at", "xen_mmu_set_pte_atomic"),
    PTE_CLEAR("xen_mmu_pte_clear"),
    SET_PMD("xen_mmu_set_pmd"),
    PMD_CLEAR("xen_mmu_pmd_clear"),
    SET_PUD("xen_mmu_set_pud"),
    SET_P4D("xen_mmu_set_p4d", "xen_mmu_set_pgd"),
    PTEP_MODIFY_PROT_START("xen_mmu_ptep_modify_prot_start"),
    PTEP_MODIFY_PROT_COMMIT("xen_mmu_ptep_modify_prot_commit"),
    ALLOC_PTPAGE("xen_mmu_alloc_ptpage"),
    RELEASE_PTPAGE("xen_mmu_release_ptpage"),
    PGD_PIN("xen_mmu_pgd_pin"),
    PGD_UNPIN("xen_mmu_pgd_unpin"),
    FLUSH_TLB_ONE_USER("xen_mmu_flush_tlb_one_user", "xen_mmu_flush_tlb_single"),
    FLUSH_TLB_MULTI("xen_mmu_flush_tlb_multi", "xen_mmu_flush_tlb_others"),
    FLUSH_TLB("xen_mmu_flush_tlb"),
    FLUSH_TLB_ALL("xen_mmu_flush_tlb_all"),
    WRITE_CR3("xen_mmu_write_cr3"),
    CPU_EVENT("xen_cpu_write_ldt_entry", "xen_cpu_write_idt_entry", "xen_cpu_load_idt",
        "xen_cpu_write_gdt_entry", "xen_cpu_set_ldt"),
    TLB_FLUSH("tlb_flush"),
    /** Any other event: stored in guest_events, ignored by the lowering. */
    OTHER();

    private final String[] names;

    EventKind(String... names) {
        this.names = names;
    }

    /** True for the page-table writes that name one entry (set_pte ... set_p4d, the clears, commit). */
    public boolean isEntryWrite() {
        return this == SET_PTE || this == PTE_CLEAR || this == SET_PMD || this == PMD_CLEAR || this == SET_PUD
            || this == SET_P4D || this == PTEP_MODIFY_PROT_COMMIT;
    }

    // Open addressing over a power-of-two table; names are short, so hashing them is cheap.
    private static final int SLOTS = 256;
    private static final byte[][] KEYS = new byte[SLOTS][];
    private static final EventKind[] KINDS = new EventKind[SLOTS];

    static {
        for (EventKind k : values()) {
            for (String n : k.names) {
                byte[] b = n.getBytes(StandardCharsets.US_ASCII);
                int i = hash(b, 0, b.length) & (SLOTS - 1);
                while (KEYS[i] != null) {
                    i = (i + 1) & (SLOTS - 1);
                }
                KEYS[i] = b;
                KINDS[i] = k;
            }
        }
    }

    /** From the first and last eight bytes and the length: no per-byte multiply chain. */
    private static int hash(byte[] b, int from, int to) {
        int len = to - from;
        long h;
        if (len >= 8) {
            h = Swar.load(b, from) * 0x9E3779B97F4A7C15L ^ Swar.load(b, to - 8) * 0xC2B2AE3D27D4EB4FL;
        } else {
            h = 0;
            for (int i = from; i < to; i++) {
                h = h << 8 | (b[i] & 0xFF);
            }
            h *= 0x9E3779B97F4A7C15L;
        }
        h ^= len;
        return (int) (h ^ h >>> 29 ^ h >>> 47);
    }

    /** The kind named by {@code b[from, to)}, {@link #OTHER} if the name is not one of ours. */
    public static EventKind lookup(byte[] b, int from, int to) {
        int i = hash(b, from, to) & (SLOTS - 1);
        int len = to - from;
        for (byte[] k; (k = KEYS[i]) != null; i = (i + 1) & (SLOTS - 1)) {
            if (k.length == len && same(k, b, from, len)) {
                return KINDS[i];
            }
        }
        return OTHER;
    }

    /** Equality by eight-byte words (names are short: a library call costs more than the compare). */
    private static boolean same(byte[] k, byte[] b, int from, int len) {
        if (len < 8) {
            return java.util.Arrays.equals(k, 0, len, b, from, from + len);
        }
        for (int j = 0; j + 8 <= len; j += 8) {
            if (Swar.load(k, j) != Swar.load(b, from + j)) {
                return false;
            }
        }
        return Swar.load(k, len - 8) == Swar.load(b, from + len - 8);
    }

    public static EventKind lookup(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        return lookup(b, 0, b.length);
    }
}
