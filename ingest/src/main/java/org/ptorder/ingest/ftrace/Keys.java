package org.ptorder.ingest.ftrace;

/** Field names of the xen:* and tlb:* formats, as bytes for {@link Fields}. */
final class Keys {
    private Keys() { }

    static final byte[] PTEP = Fields.bytes("ptep");
    static final byte[] PTEVAL = Fields.bytes("pteval");
    static final byte[] PMDP = Fields.bytes("pmdp");
    static final byte[] PMDVAL = Fields.bytes("pmdval");
    static final byte[] PUDP = Fields.bytes("pudp");
    static final byte[] PUDVAL = Fields.bytes("pudval");
    static final byte[] P4DP = Fields.bytes("p4dp");
    static final byte[] USER_P4DP = Fields.bytes("user_p4dp");
    static final byte[] P4DVAL = Fields.bytes("p4dval");
    static final byte[] PGDP = Fields.bytes("pgdp");
    static final byte[] USER_PGDP = Fields.bytes("user_pgdp");
    static final byte[] PGDVAL = Fields.bytes("pgdval");
    static final byte[] MM = Fields.bytes("mm");
    static final byte[] ADDR = Fields.bytes("addr");
    static final byte[] END = Fields.bytes("end");
    static final byte[] NCPUS = Fields.bytes("ncpus");
    static final byte[] PFN = Fields.bytes("pfn");
    static final byte[] LEVEL = Fields.bytes("level");
    static final byte[] PINNED = Fields.bytes("pinned");
    static final byte[] PGD = Fields.bytes("pgd");
    static final byte[] CR3 = Fields.bytes("cr3");
    static final byte[] KERNEL = Fields.bytes("kernel");
    static final byte[] USER = Fields.bytes("user");
    static final byte[] OP = Fields.bytes("op");
    static final byte[] BY = Fields.bytes("by");
    static final byte[] ARGS = Fields.bytes("args");
    static final byte[] ENTRY = Fields.bytes("entry");
    static final byte[] RES = Fields.bytes("res");
    static final byte[] MODE = Fields.bytes("mode");
    static final byte[] MCIDX = Fields.bytes("mcidx");
    static final byte[] ARGIDX = Fields.bytes("argidx");
    static final byte[] CBIDX = Fields.bytes("cbidx");
    static final byte[] PAGES = Fields.bytes("pages");
    static final byte[] REASON = Fields.bytes("reason");
    static final byte[] LAZY_MMU = Fields.bytes("LAZY_MMU");
    static final byte[] LAZY_CPU = Fields.bytes("LAZY_CPU");
    static final byte[] LAZY_NONE = Fields.bytes("LAZY_NONE");
    static final byte[] OK = Fields.bytes("OK");
    static final byte[] BAD_OP = Fields.bytes("BAD_OP");
    static final byte[] NO_SPACE = Fields.bytes("NO_SPACE");
    static final byte[] UNPINNED = Fields.bytes("unpinned");
}
