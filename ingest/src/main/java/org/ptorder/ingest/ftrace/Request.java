package org.ptorder.ingest.ftrace;

/**
 * One page-table write announced by a xen_mmu_set_* / ptep_modify_prot_commit event, waiting
 * for the mmu_update request (a new multicall entry or an extension) that carries it.
 */
record Request(long srcLine, long pte, long val, long old, long va, String kind, long ptr) { }
