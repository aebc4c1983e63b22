#!/usr/sbin/dtrace -Cqs
/*
 * netbsd-xpq.d: trace the page-table update queue (xpq) of a NetBSD/amd64 Xen PV
 * guest as a ptorder .pmt trace. Format and usage: README-pmt.md.
 *
 *   dtrace -C -q -s netbsd-xpq.d $(sysctl -n hw.ncpu) -o raw.pmt
 *   dtrace -C -q -D PMAP_LOCKS -s netbsd-xpq.d $(sysctl -n hw.ncpu) -o raw.pmt
 *
 * The one macro argument is the number of vCPUs (for the cpus= directive).
 * DTrace prints each CPU's buffer in turn, so raw.pmt is in time order per CPU
 * but not across CPUs: sort it before use (README-pmt.md gives the command).
 *
 * Written against NetBSD 10 (sys/arch/xen/x86/x86_xpmap.c 1.84.x: per-CPU
 * queues, kcpuset_t masks). Needs a kernel with CTF (for `pte_lock and
 * `xpmap_phys_to_machine_mapping; and struct pmap with -D PMAP_LOCKS).
 * It has not been run on a real guest: treat it as a starting point.
 *
 * Every op line is "time cpu op key=value ... thread=0x<lwp> at=<caller>":
 * time is `timestamp` (ns), cpu is the DTrace `cpu` (cpu_index, which is
 * also the bit number in the vCPU masks Xen gets from kcpuset_export_u32).
 *
 * The mmuext wrappers flush their own queue first and then issue the
 * hypercall, so they are printed at :return, after the flush line. If the
 * compiler inlined xpq_flush_queue into a wrapper (same file), no flush line
 * would appear and the trace would falsely show the op overtaking queued
 * updates; so a wrapper that returns without a flush seen inside it prints a
 * flush line itself (at=<wrapper>), counting the queue from the enq lines.
 */

#pragma D option quiet
#pragma D option bufsize=32m
#pragma D option switchrate=20hz
#pragma D option dynvarsize=16m

/* xpq_increment_idx flushes when the queue reaches XPQUEUE_SIZE. */
#define XPQUEUE_SIZE 2048

BEGIN
{
	printf("#! ptorder-pmap 1\n");
	printf("#! cpus=%d clock=ns system=netbsd origin=%d\n", $1, timestamp);
	printf("#! x-source=netbsd-xpq.d\n");
}

/*
 * ------------------------------------------------------------------ enqueue
 * xpq_queue_pte_update(paddr_t ptr, pt_entry_t val): ptr is the machine
 * address of the entry. qlen[] counts entries per CPU queue for flush n=
 * (it undercounts the first flush of a CPU if entries were queued before
 * tracing began).
 */
fbt::xpq_queue_pte_update:entry
{
	self->in_enq++;
	qlen[cpu]++;
	printf("%d %d enq pte=0x%x val=0x%x kind=pt thread=0x%x at=%a\n",
	    timestamp, cpu, arg0, arg1, (uint64_t)curthread, caller);
}

/* xpq_queue_machphys_update(paddr_t ma, paddr_t pa): an M2P entry, val = pfn. */
fbt::xpq_queue_machphys_update:entry
{
	self->in_enq++;
	qlen[cpu]++;
	printf("%d %d enq pte=0x%x val=0x%x kind=m2p thread=0x%x at=%a\n",
	    timestamp, cpu, arg0, arg1 >> 12, (uint64_t)curthread, caller);
}

/* The queue was full, but no flush was seen: xpq_flush_queue was inlined. */
fbt::xpq_queue_pte_update:return,
fbt::xpq_queue_machphys_update:return
/self->in_enq && qlen[cpu] >= XPQUEUE_SIZE/
{
	printf("%d %d flush n=%d reason=full thread=0x%x at=%s\n",
	    timestamp, cpu, qlen[cpu], (uint64_t)curthread, probefunc);
	qlen[cpu] = 0;
}

fbt::xpq_queue_pte_update:return,
fbt::xpq_queue_machphys_update:return
/self->in_enq/
{
	self->in_enq--;
}

/*
 * -------------------------------------------------------------------- flush
 * xpq_flush_queue(void): HYPERVISOR_mmu_update of this CPU's queue. Printed at
 * :return, when Xen has applied it. done= is not known here (a local of the
 * function); the 2014+ code retries a partial failure and panics if stuck.
 */
fbt::xpq_flush_queue:entry
{
	self->fl_n = qlen[cpu];
	qlen[cpu] = 0;
	self->fl_at = caller;
	self->fl_live = 1;
}

fbt::xpq_flush_queue:return
/self->fl_live/
{
	printf("%d %d flush n=%d reason=%s thread=0x%x at=%a\n",
	    timestamp, cpu, self->fl_n,
	    self->in_mmuext ? "mmuext" : (self->in_enq ? "full" : "explicit"),
	    (uint64_t)curthread, self->fl_at);
	self->saw_flush = self->in_mmuext ? 1 : 0;
	self->fl_n = 0;
	self->fl_at = 0;
	self->fl_live = 0;
}

/*
 * ----------------------------------------------------------- mmuext wrappers
 * Each flushes the local queue, then issues one MMUEXT op synchronously.
 * Arguments are saved at :entry and the op printed at :return.
 */
fbt::xpq_queue_tlb_flush:entry,
fbt::xpq_queue_invlpg:entry,
fbt::xpq_queue_pt_switch:entry,
fbt::xpq_queue_pin_table:entry,
fbt::xpq_queue_unpin_table:entry,
fbt::xpq_queue_set_ldt:entry,
fbt::xpq_update_foreign:entry,
fbt::xen_mcast_invlpg:entry,
fbt::xen_mcast_tlbflush:entry,
fbt::xen_bcast_invlpg:entry,
fbt::xen_bcast_tlbflush:entry,
fbt::xen_set_user_pgd:entry
{
	self->in_mmuext++;
	self->saw_flush = 0;
	self->mx_at = caller;
	self->mx_a0 = arg0;
	self->mx_a1 = arg1;
}

/*
 * xen_mcast_invlpg(vaddr_t va, kcpuset_t *kc), xen_mcast_tlbflush(kcpuset_t *kc):
 * a kcpuset_t * points at the bit words; word 0 holds CPUs 0-31 (read at
 * :entry, as the wrapper does; guests with more vCPUs need word 1 as well).
 */
fbt::xen_mcast_invlpg:entry
{
	self->mx_mask = *(uint32_t *)arg1;
}

fbt::xen_mcast_tlbflush:entry
{
	self->mx_mask = *(uint32_t *)arg0;
}

/* xen_set_user_pgd(paddr_t page) takes a pseudo-physical address: mfn via the P2M table. */
fbt::xen_set_user_pgd:entry
{
	self->mx_a0 = `xpmap_phys_to_machine_mapping[arg0 >> 12];
}

/* The wrapper's own flush was not seen (inlined): print it, as the kernel did it. */
fbt::xpq_queue_tlb_flush:return,
fbt::xpq_queue_invlpg:return,
fbt::xpq_queue_pt_switch:return,
fbt::xpq_queue_pin_table:return,
fbt::xpq_queue_unpin_table:return,
fbt::xpq_queue_set_ldt:return,
fbt::xpq_update_foreign:return,
fbt::xen_mcast_invlpg:return,
fbt::xen_mcast_tlbflush:return,
fbt::xen_bcast_invlpg:return,
fbt::xen_bcast_tlbflush:return,
fbt::xen_set_user_pgd:return
/self->in_mmuext && !self->saw_flush/
{
	printf("%d %d flush n=%d reason=mmuext thread=0x%x at=%s\n",
	    timestamp, cpu, qlen[cpu], (uint64_t)curthread, probefunc);
	qlen[cpu] = 0;
}

fbt::xpq_queue_tlb_flush:return
/self->in_mmuext/
{
	printf("%d %d tlb_flush thread=0x%x at=%a\n",
	    timestamp, cpu, (uint64_t)curthread, self->mx_at);
}

fbt::xpq_queue_invlpg:return
/self->in_mmuext/
{
	printf("%d %d invlpg va=0x%x thread=0x%x at=%a\n",
	    timestamp, cpu, self->mx_a0, (uint64_t)curthread, self->mx_at);
}

/* xpq_queue_pt_switch(paddr_t pa): MMUEXT_NEW_BASEPTR, the kernel-mode root. */
fbt::xpq_queue_pt_switch:return
/self->in_mmuext/
{
	printf("%d %d new_baseptr root=0x%x user=0 thread=0x%x at=%a\n",
	    timestamp, cpu, self->mx_a0 >> 12, (uint64_t)curthread, self->mx_at);
}

/* MMUEXT_NEW_USER_BASEPTR. */
fbt::xen_set_user_pgd:return
/self->in_mmuext/
{
	printf("%d %d new_baseptr root=0x%x user=1 thread=0x%x at=%a\n",
	    timestamp, cpu, self->mx_a0, (uint64_t)curthread, self->mx_at);
}

/* xpq_queue_pin_table(paddr_t pa, int lvl): lvl is MMUEXT_PIN_L1_TABLE (0) .. L4 (3). */
fbt::xpq_queue_pin_table:return
/self->in_mmuext/
{
	printf("%d %d pin mfn=0x%x level=%d thread=0x%x at=%a\n",
	    timestamp, cpu, self->mx_a0 >> 12, self->mx_a1 + 1,
	    (uint64_t)curthread, self->mx_at);
}

fbt::xpq_queue_unpin_table:return
/self->in_mmuext/
{
	printf("%d %d unpin mfn=0x%x thread=0x%x at=%a\n",
	    timestamp, cpu, self->mx_a0 >> 12, (uint64_t)curthread, self->mx_at);
}

fbt::xen_mcast_invlpg:return
/self->in_mmuext/
{
	printf("%d %d invlpg_multi va=0x%x mask=0x%x thread=0x%x at=%a\n",
	    timestamp, cpu, self->mx_a0, self->mx_mask, (uint64_t)curthread,
	    self->mx_at);
}

fbt::xen_mcast_tlbflush:return
/self->in_mmuext/
{
	printf("%d %d tlb_flush_multi mask=0x%x thread=0x%x at=%a\n",
	    timestamp, cpu, self->mx_mask, (uint64_t)curthread, self->mx_at);
}

fbt::xen_bcast_invlpg:return
/self->in_mmuext/
{
	printf("%d %d invlpg_all va=0x%x thread=0x%x at=%a\n",
	    timestamp, cpu, self->mx_a0, (uint64_t)curthread, self->mx_at);
}

fbt::xen_bcast_tlbflush:return
/self->in_mmuext/
{
	printf("%d %d tlb_flush_all thread=0x%x at=%a\n",
	    timestamp, cpu, (uint64_t)curthread, self->mx_at);
}

/* xpq_queue_set_ldt and xpq_update_foreign: no op of the vocabulary, only their flush. */
fbt::xpq_queue_tlb_flush:return,
fbt::xpq_queue_invlpg:return,
fbt::xpq_queue_pt_switch:return,
fbt::xpq_queue_pin_table:return,
fbt::xpq_queue_unpin_table:return,
fbt::xpq_queue_set_ldt:return,
fbt::xpq_update_foreign:return,
fbt::xen_mcast_invlpg:return,
fbt::xen_mcast_tlbflush:return,
fbt::xen_bcast_invlpg:return,
fbt::xen_bcast_tlbflush:return,
fbt::xen_set_user_pgd:return
/self->in_mmuext/
{
	self->in_mmuext--;
	self->saw_flush = 0;
	self->mx_at = 0;
	self->mx_a0 = 0;
	self->mx_a1 = 0;
	self->mx_mask = 0;
}

/*
 * --------------------------------------------------------- TLB shootdowns
 * pmap_tlb_shootdown(pm, va, pte, why) only records a request in a per-CPU
 * packet; pmap_tlb_shootnow() then issues xen_mcast_invlpg/_tlbflush for the
 * remote CPUs and invlpg()/tlbflush() locally, which the probes above print
 * (their at= names pmap_tlb_shootnow or invlpg/tlbflush). The vocabulary has
 * no "request" op, so requests and shootnow brackets are comment lines: for
 * people reading the trace, ignored by ptorder. They keep "# time cpu" first
 * so that the sort in README-pmt.md keeps them in place.
 */
fbt::pmap_tlb_shootdown:entry
{
	printf("# %d %d pmap_tlb_shootdown pmap=0x%x va=0x%x pte=0x%x why=%d thread=0x%x at=%a\n",
	    timestamp, cpu, arg0, arg1, arg2, arg3, (uint64_t)curthread, caller);
}

fbt::pmap_tlb_shootnow:entry
{
	printf("# %d %d pmap_tlb_shootnow begin thread=0x%x at=%a\n",
	    timestamp, cpu, (uint64_t)curthread, caller);
}

fbt::pmap_tlb_shootnow:return
{
	printf("# %d %d pmap_tlb_shootnow end thread=0x%x\n",
	    timestamp, cpu, (uint64_t)curthread);
}

/*
 * -------------------------------------------------------------------- locks
 * On amd64 mutex_enter/mutex_exit are assembly stubs (unless LOCKDEBUG) with
 * no fbt probe: their fast path is one CAS, and they jump to the C functions
 * mutex_vector_enter/_exit for spin mutexes and for contended adaptive ones.
 * So:
 *  - pte_lock (the IPL_VM spin mutex of pmap_pte_cas, _testset, _setbits,
 *    _clearbits) always goes through mutex_vector_*: always traced.
 *  - pmap locks (adaptive) go through mutex_vector_* only when contended,
 *    unless the kernel has LOCKDEBUG (then mutex_enter is mutex_vector_enter).
 *    A partial lock record would invent and drop happens-before edges, so
 *    pmap locks are traced only with -D PMAP_LOCKS: use it on a LOCKDEBUG
 *    kernel. Check with: dtrace -l -n fbt::mutex_enter:entry
 * lock is printed after the acquisition (:return), unlock before the release.
 */
fbt::mutex_vector_enter:entry
/arg0 == (uint64_t)&`pte_lock/
{
	self->lk_pte = 1;
	self->lk_at = caller;
}

fbt::mutex_vector_enter:return
/self->lk_pte/
{
	printf("%d %d lock lock=pte_lock thread=0x%x at=%a\n",
	    timestamp, cpu, (uint64_t)curthread, self->lk_at);
	self->lk_pte = 0;
	self->lk_at = 0;
}

fbt::mutex_vector_exit:entry
/arg0 == (uint64_t)&`pte_lock/
{
	printf("%d %d unlock lock=pte_lock thread=0x%x at=%a\n",
	    timestamp, cpu, (uint64_t)curthread, caller);
}

#ifdef PMAP_LOCKS
/*
 * A pmap's lock is identified by address: every pmap passed to these entry
 * points has its lock address remembered (NetBSD 10: kmutex_t pm_lock is
 * embedded in struct pmap; NetBSD 9 and older had a pointer, pm_lock =
 * pm_obj[0].vmobjlock: there use (uint64_t)((struct pmap *)arg0)->pm_lock).
 * Lock names are pmap-0x<struct pmap address>.
 */
fbt::pmap_enter_ma:entry,
fbt::pmap_remove:entry,
fbt::pmap_write_protect:entry,
fbt::pmap_unwire:entry,
fbt::pmap_extract:entry,
fbt::pmap_destroy:entry
/arg0 != 0/
{
	pmlock[(uint64_t)&((struct pmap *)arg0)->pm_lock] = arg0;
}

fbt::mutex_vector_enter:entry
/pmlock[arg0]/
{
	self->lk_pm = pmlock[arg0];
	self->lk_at = caller;
}

fbt::mutex_vector_enter:return
/self->lk_pm/
{
	printf("%d %d lock lock=pmap-0x%x thread=0x%x at=%a\n",
	    timestamp, cpu, self->lk_pm, (uint64_t)curthread, self->lk_at);
	self->lk_pm = 0;
	self->lk_at = 0;
}

fbt::mutex_vector_exit:entry
/pmlock[arg0]/
{
	printf("%d %d unlock lock=pmap-0x%x thread=0x%x at=%a\n",
	    timestamp, cpu, pmlock[arg0], (uint64_t)curthread, caller);
}
#endif
