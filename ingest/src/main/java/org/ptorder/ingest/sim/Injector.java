package org.ptorder.ingest.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ptorder.ingest.sim.GuestModel.AddressSpace;
import org.ptorder.ingest.sim.GuestModel.L1;
import org.ptorder.ingest.sim.GuestModel.Proc;
import org.ptorder.ingest.sim.GuestModel.SimThread;

/**
 * Plants bugs. At the start of a scheduling step on CPU A, each requested kind starts an episode
 * with its rate's probability. An episode runs in the thread A is running (process P): it maps a
 * fresh page of P in a 2 MiB slot of its own (a clean fault, so the page has its own L1 table T and
 * nothing else touches it), brings a second CPU B onto P where the bug needs one (a clean context
 * switch, with a helper thread if P has none to spare), and then issues the buggy ops, finishing
 * with the late publication and a correct shootdown so nothing else goes wrong afterwards. The
 * simulator runs one operation at a time, so no other CPU's event falls inside an episode.
 *
 * <p>Each episode's record (a {@link Planted}) gives the class and label that follow from
 * reference/ordering-model.md §3.4-3.5 for what the trace shows, in the litmus files' conventions:
 * without {@code access} events, a stale translation is never seen used, so V1/V3/V6/V8 are LATENT;
 * a read ({@code oob_read val=}, {@code rmw expect= ok=1}) that returned the old value, and an unpin
 * or free followed by the flush of the pending update (LT-9), are OBSERVED.
 */
final class Injector {
    private final Simulator s;
    private final Emitter e;
    private final Lowering low;
    private final boolean linux;
    private final Rng rng;
    private final TruthWriter truth;
    private final InjectionKind[] kinds;
    private final double[] rates;
    private final int cpus;
    final long[] planted = new long[InjectionKind.values().length];
    private int nextId = 1;
    /** Recent records, for tests (bounded). */
    final List<Planted> recent = new ArrayList<>();
    private static final int RECENT = 1_000;

    Injector(Simulator s, Rng rng, TruthWriter truth, Map<InjectionKind, Double> inject) {
        this.s = s;
        this.e = s.e;
        this.low = s.low;
        this.linux = s.cfg.linux();
        this.rng = rng;
        this.truth = truth;
        this.cpus = s.cfg.cpus();
        List<InjectionKind> k = new ArrayList<>();
        List<Double> r = new ArrayList<>();
        for (Map.Entry<InjectionKind, Double> en : inject.entrySet()) {
            if (en.getValue() > 0) {
                k.add(en.getKey());
                r.add(en.getValue());
            }
        }
        kinds = k.toArray(new InjectionKind[0]);
        rates = new double[r.size()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = r.get(i);
        }
    }

    boolean maybePlant(int cpu) {
        for (int i = 0; i < kinds.length; i++) {
            if (rng.chance(rates[i]) && plant(kinds[i], cpu)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ the episode's setting

    private int a;
    private int b;
    private SimThread t;
    private AddressSpace as;
    private int page;
    private long va;
    private L1 tab;
    private int idx;
    private long p;
    private long x;
    private String lockName;

    private boolean plant(InjectionKind kind, int cpu) {
        SimThread th = s.current[cpu];
        if (th == null || th.dead || th.proc.exiting || th.proc.as == null) {
            return false;
        }
        boolean single = cpus < 2;
        if (single && kind.minCpus() > 1) {
            return false;
        }
        a = cpu;
        t = th;
        as = th.proc.as;
        page = as.mmapFreshSlot();
        if (page < 0) {
            return false;
        }
        va = AddressSpace.va(page);
        s.touch(a, t, page, true);
        tab = as.table(page);
        idx = page & 511;
        p = tab.pteAddr(idx);
        x = tab.pte[idx];
        lockName = linux ? tab.ptl : as.pmapLock;
        b = single ? -1 : (a + 1 + rng.nextInt(cpus - 1)) % cpus;
        Planted r = switch (kind) {
            case FLUSH_AFTER_UNLOCK -> flushAfterUnlock();
            case NO_FLUSH_BEFORE_SHOOTDOWN -> noFlushBeforeShootdown();
            case FREE_BEFORE_SHOOTDOWN -> freeBeforeShootdown(single);
            case UNPIN_PENDING -> unpinPending();
            case CAS_OVER_PENDING -> casOverPending();
            case OOB_READ_PENDING -> oobReadPending(single);
            case MIGRATE_BEFORE_FLUSH -> migrateBeforeFlush();
            case RAW_INVLPG_ALL -> rawInvlpgAll();
        };
        r.pte = p;
        r.va = va;
        r.lock = r.lock == null ? lockName : r.lock;
        planted[kind.ordinal()]++;
        e.stats.planted++;
        if (recent.size() < RECENT) {
            recent.add(r);
        }
        if (truth != null) {
            truth.write(r);
        }
        return true;
    }

    private Planted record(InjectionKind kind, String variant, String cls, String label) {
        Planted r = new Planted(nextId++, kind, variant, linux ? "linux" : "netbsd", cls, label);
        r.cpu = a;
        r.otherCpu = b;
        return r;
    }

    private long lock(int cpu) {
        return e.lock(cpu, lockName);
    }

    private long unlock(int cpu) {
        return e.unlock(cpu, lockName);
    }

    /** The read-only value an mprotect gives the page. */
    private long protectedValue() {
        return x & ~GuestModel.RW;
    }

    /** Queues the write-protect of the page on {@code cpu} (Linux: in a lazy section it enters). */
    private long enqProtect(int cpu, boolean enterLazy) {
        if (linux && enterLazy) {
            e.lazyEnter(cpu);
        }
        return e.enq(cpu, p, protectedValue(), va, linux ? "ad" : "pt");
    }

    /** The late flush that finally publishes the episode's queued update on {@code cpu}. */
    private long publish(int cpu) {
        if (linux && e.lazy[cpu]) {
            long f = e.flush(cpu, "lazy_leave");
            e.lazyLeave(cpu);
            return f;
        }
        return e.flush(cpu, "explicit");
    }

    /** A correct invalidation of the page on every CPU that runs P; returns the remote op's seq or -1. */
    private long shootPage(int cpu) {
        if (!linux) {
            long before = e.seq;
            ((NetbsdLowering) low).shootnow(cpu, as, new int[] {page}, 1);
            return others(cpu) != 0 ? before + 2 : -1; // lock, flush, invlpg_multi
        }
        e.lock(cpu, as.maskLock);
        long remote = -1;
        if (low.loaded[cpu] == as) {
            e.invlpg(cpu, va);
        }
        long o = Lowering.others(as, cpu);
        if (o != 0) {
            remote = e.invlpgMulti(cpu, va, o);
        }
        e.unlock(cpu, as.maskLock);
        return remote;
    }

    private long others(int cpu) {
        return Lowering.others(as, cpu);
    }

    /** The page was made read-only by the episode: the model follows. */
    private void protectedNow() {
        tab.pte[idx] = protectedValue();
        as.setReadOnly(page, true);
    }

    // ------------------------------------------------------------------ the episodes

    /**
     * LT-1. A: lock L; enq(p, RO); unlock L  ||  B (runs P): lock L; invlpg(va); unlock L  ||  A: flush.
     * B's invlpg is a read-op covering p, hb-after the enq through L, with the update pending: V1.
     */
    private Planted flushAfterUnlock() {
        s.runOn(b, t.proc);
        // also V3: until the late flush the queued update is hb-before whatever B does next, so a later
        // shootdown of va reaching a CPU that runs P (another episode's invlpg_all) misses it too
        Planted r = record(InjectionKind.FLUSH_AFTER_UNLOCK, "lock-ordered-invlpg", "V1", "LATENT").also("V3", "V7");
        r.role("lock", lock(a));
        r.role("enq", enqProtect(a, true));
        r.role("unlock", unlock(a));
        r.role("reader_lock", lock(b));
        if (!linux) {
            r.role("reader_flush", e.flush(b, "mmuext"));
        }
        r.role("read_op", e.invlpg(b, va));
        r.role("reader_unlock", unlock(b));
        r.role("late_flush", publish(a));
        protectedNow();
        lock(a);
        shootPage(a);
        unlock(a);
        r.key("enq", "read_op");
        return r;
    }

    /**
     * LT-4 with a MULTI. A: lock L; enq(p, RO); invlpg_multi(va, others) with the update still queued;
     * flush; invlpg(va); unlock L. V3-local (the shootdown is also a read-op: V1).
     */
    private Planted noFlushBeforeShootdown() {
        s.runOn(b, t.proc);
        Planted r = record(InjectionKind.NO_FLUSH_BEFORE_SHOOTDOWN, "multi-before-own-flush", "V3-local", "LATENT")
            .also("V1");
        r.role("lock", lock(a));
        e.lock(a, as.maskLock);
        r.role("enq", enqProtect(a, false));
        r.role("shootdown", e.invlpgMulti(a, va, others(a)));
        r.role("late_flush", e.flush(a, linux ? "explicit" : "mmuext"));
        e.invlpg(a, va);
        e.unlock(a, as.maskLock);
        r.role("unlock", unlock(a));
        protectedNow();
        shootPage(a); // the correct shootdown, so no CPU keeps the stale entry past the episode
        r.key("enq", "shootdown");
        return r;
    }

    /**
     * LT-10. Data variant: A unmaps the page (an immediate RMW), frees its frame, and only then shoots
     * it down: CPUs running P may use va -> f after the free (V6). Page-table variant: A unmaps the page
     * correctly, then unlinks T, (Linux: unpins it,) frees it, and only then flushes the TLBs that may
     * cache it (V5-pwc; the reference allows V6 as the name).
     */
    private Planted freeBeforeShootdown(boolean single) {
        if (!single) {
            s.runOn(b, t.proc);
        } else {
            b = -1;
        }
        long f = Lowering.frameOf(x);
        if (rng.chance(0.5)) {
            Planted r = record(InjectionKind.FREE_BEFORE_SHOOTDOWN, "data-frame", "V6", "LATENT");
            r.mfn = f;
            r.role("lock", lock(a));
            if (linux) {
                e.lazyEnter(a);
            }
            r.role("unmap", e.rmw(a, p, x, 0, Lowering.pteLinear(p)));
            if (linux) {
                e.lazyLeave(a);
            }
            r.role("unlock", unlock(a));
            tab.pte[idx] = 0;
            tab.present--;
            e.lock(a, low.zoneLock());
            g().frames.unref(f);
            r.role("free", e.frameFree(a, f));
            e.unlock(a, low.zoneLock());
            long remote = shootPage(a);
            if (remote >= 0) {
                r.role("shootdown", remote);
            }
            unmapSlot();
            r.key("free");
            return r;
        }
        Planted r = record(InjectionKind.FREE_BEFORE_SHOOTDOWN, "page-table-page", "V5-pwc", "LATENT")
            .alternatives("V6");
        low.zap(a, as, page, 1, false);
        as.unreserve(page, 1);
        int slot = page >>> 9;
        r.mfn = tab.mfn;
        if (linux) {
            r.lock = as.mmLock;
            e.lock(a, as.mmLock);
            e.enq(a, as.pdeAddr(slot), 0, tab.va, "pt");
            r.role("unlink", e.flush(a, "explicit"));
            e.beginGroup(a);
            r.role("unpin", e.unpin(a, tab.mfn));
            e.updateVaMapping(a, GuestModel.directMap(tab.mfn), Lowering.dataPte(tab.mfn, false), 0);
            e.endGroup(a);
            tab.pinned = false;
            r.role("free", freeNow(a, tab.mfn));
            e.lock(a, as.maskLock);
            if (low.loaded[a] == as) {
                r.role("local_flush", e.tlbFlush(a));
            }
            if (others(a) != 0) {
                r.role("shootdown", e.tlbFlushMulti(a, others(a)));
            }
            e.unlock(a, as.maskLock);
            e.unlock(a, as.mmLock);
            r.key("unpin", "free");
        } else {
            r.role("lock", lock(a));
            r.role("unlink", e.rmw(a, as.pdeAddr(slot), Lowering.tableEntry(tab.mfn), 0, 0));
            r.role("free", freeNow(a, tab.mfn));
            e.lock(a, as.maskLock);
            if (others(a) != 0) {
                e.flush(a, "mmuext");
                r.role("shootdown", e.tlbFlushMulti(a, others(a)));
            }
            if (low.loaded[a] == as) {
                e.flush(a, "mmuext");
                r.role("local_flush", e.tlbFlush(a));
            }
            e.unlock(a, as.maskLock);
            unlock(a);
            r.key("free");
        }
        as.l1[slot] = null;
        return r;
    }

    private long freeNow(int cpu, long mfn) {
        e.lock(cpu, low.zoneLock());
        g().frames.unref(mfn);
        long s1 = e.frameFree(cpu, mfn);
        e.unlock(cpu, low.zoneLock());
        return s1;
    }

    private GuestModel g() {
        return low.g;
    }

    /** The episode's page is gone: release its reservation and, cleanly, its table. */
    private void unmapSlot() {
        as.unreserve(page, 1);
        int slot = page >>> 9;
        if (as.l1[slot] != null && as.l1[slot].present == 0 && as.slotUnused(slot)) {
            if (linux) {
                ((LinuxLowering) low).freeTable(a, as, slot);
            } else {
                ((NetbsdLowering) low).freeTable(a, as, slot);
            }
        }
    }

    /**
     * LT-9. A: lock L; enq(p -> 0) (unmapping the only page of T); unlock L  ||  B (runs P): unlinks
     * T, shoots down, (Linux: unpins T,) frees T  ||  A: flush (the update lands in the freed table),
     * then frees the data frame. The unpin and the free of T come with an update to T pending:
     * V5-pending, and the late flush shows it (OBSERVED).
     */
    private Planted unpinPending() {
        s.runOn(b, t.proc);
        Planted r = record(InjectionKind.UNPIN_PENDING, linux ? "unpin-and-free" : "free", "V5-pending", "OBSERVED")
            .also("V1", "V3", "V5-pwc", "V6", "V7");
        long f = Lowering.frameOf(x);
        int slot = page >>> 9;
        r.mfn = tab.mfn;
        r.role("lock", lock(a));
        if (linux) {
            e.lazyEnter(a);
        }
        r.role("enq", e.enq(a, p, 0, va, "pt"));
        r.role("unlock", unlock(a));
        tab.pte[idx] = 0;
        tab.present--;
        as.unreserve(page, 1);
        // B: free_pgtables / pmap_free_ptp for T
        if (linux) {
            e.lock(b, as.mmLock);
            r.role("remote_lock", lock(b));
            e.enq(b, as.pdeAddr(slot), 0, tab.va, "pt");
            e.flush(b, "explicit");
            e.lock(b, as.maskLock);
            if (low.loaded[b] == as) {
                e.tlbFlush(b);
            }
            if (others(b) != 0) {
                e.tlbFlushMulti(b, others(b));
            }
            e.unlock(b, as.maskLock);
            e.beginGroup(b);
            r.role("unpin", e.unpin(b, tab.mfn));
            e.updateVaMapping(b, GuestModel.directMap(tab.mfn), Lowering.dataPte(tab.mfn, false), 0);
            e.endGroup(b);
            tab.pinned = false;
            r.role("free_table", freeNow(b, tab.mfn));
            unlock(b);
            e.unlock(b, as.mmLock);
        } else {
            r.role("remote_lock", lock(b));
            e.rmw(b, as.pdeAddr(slot), Lowering.tableEntry(tab.mfn), 0, 0);
            ((NetbsdLowering) low).shootAll(b, as);
            r.role("free_table", freeNow(b, tab.mfn));
            unlock(b);
        }
        as.l1[slot] = null;
        r.role("late_flush", publish(a));
        String big = linux ? as.mmLock : as.pmapLock;
        e.lock(a, big);
        freeNow(a, f);
        e.unlock(a, big);
        r.key("enq");
        return r;
    }

    /**
     * LT-6. A: lock L; enq(p, RO); unlock L  ||  B: lock L; rmw(p, expect=X, new=X with A clear) ok=1;
     * unlock L  ||  A: flush. The RMW read the applied X with the set pending: V2-stale-RMW; A's older
     * update then lands over B's (V2) and the RMW was an out-of-band read of a pending PTE (V4-remote).
     */
    private Planted casOverPending() {
        Planted r = record(InjectionKind.CAS_OVER_PENDING, "lock-ordered-cas", "V2-stale-RMW", "OBSERVED")
            .also("V1", "V2", "V3", "V4-remote", "V7"); // V1/V3: as flush-after-unlock's V3
        r.role("lock", lock(a));
        r.role("enq", enqProtect(a, true));
        r.role("unlock", unlock(a));
        r.role("remote_lock", lock(b));
        long z = x & ~GuestModel.ACCESSED;
        r.role("rmw", e.rmw(b, p, x, z, Lowering.pteLinear(p)));
        r.role("remote_unlock", unlock(b));
        r.role("late_flush", publish(a));
        protectedNow();
        lock(a);
        shootPage(a);
        unlock(a);
        r.key("enq", "rmw");
        return r;
    }

    /**
     * LT-8 (remote): A: lock L; enq(p, RO); unlock L  ||  B: lock L; oob_read(p) = X; unlock L  ||  A:
     * flush. LT-7 (local, also Linux's "read hazard" in lazy mode): A: lock L; enq(p, RO);
     * oob_read(p) = X; then the mprotect goes on correctly. The read returned the old value: OBSERVED.
     */
    private Planted oobReadPending(boolean single) {
        if (single || rng.chance(0.5)) {
            b = -1;
            Planted r = record(InjectionKind.OOB_READ_PENDING, "local", "V4-local", "OBSERVED");
            r.role("lock", lock(a));
            r.role("enq", enqProtect(a, true));
            r.role("read", e.oobRead(a, p, x));
            if (linux) {
                e.lock(a, as.maskLock);
                if (low.loaded[a] == as) {
                    e.invlpg(a, va);
                }
                if (others(a) != 0) {
                    e.invlpgMulti(a, va, others(a));
                }
                r.role("flush", publish(a));
                e.unlock(a, as.maskLock);
                protectedNow();
            } else {
                r.role("flush", e.flush(a, "explicit"));
                protectedNow();
                shootPage(a);
            }
            r.role("unlock", unlock(a));
            r.key("enq", "read");
            return r;
        }
        Planted r = record(InjectionKind.OOB_READ_PENDING, "remote", "V4-remote", "OBSERVED")
            .also("V1", "V3", "V7"); // V1/V3: as flush-after-unlock's V3
        r.role("lock", lock(a));
        r.role("enq", enqProtect(a, true));
        r.role("unlock", unlock(a));
        r.role("remote_lock", lock(b));
        r.role("read", e.oobRead(b, p, x));
        r.role("remote_unlock", unlock(b));
        r.role("late_flush", publish(a));
        protectedNow();
        lock(a);
        shootPage(a);
        unlock(a);
        r.key("enq", "read");
        return r;
    }

    /**
     * §3.5 V8. A (thread t): lock L; enq(p, RO); the thread migrates to B before flushing  ||  B
     * (thread t): flush (its own, empty queue: it believes it publishes the update); invlpg(va); unlock
     * L  ||  A: flush (the orphaned entry, published only now). B's invlpg is the dependent read-op.
     */
    private Planted migrateBeforeFlush() {
        s.runOn(b, t.proc);
        Planted r = record(InjectionKind.MIGRATE_BEFORE_FLUSH, "orphaned-entry", "V8", "LATENT").also("V1", "V3", "V7");
        r.role("lock", lock(a));
        r.role("enq", enqProtect(a, true));
        r.role("migrate", s.moveThread(t, a, b));
        r.role("believed_flush", e.flush(b, "explicit"));
        e.lock(b, as.maskLock);
        if (!linux) {
            e.flush(b, "mmuext");
        }
        r.role("read_op", e.invlpg(b, va));
        e.unlock(b, as.maskLock);
        r.role("unlock", unlock(b));
        r.role("late_flush", publish(a));
        s.deschedule(a); // A has nothing to run now (NetBSD: back to the kernel pmap)
        protectedNow();
        lock(b);
        shootPage(b);
        unlock(b);
        r.key("enq", "migrate");
        return r;
    }

    /**
     * LT-4. A: lock L; enq(p, RO); invlpg_all(va) raw (NetBSD: no flush first; Linux: a direct
     * hypercall while the buffer holds the update); flush; unlock L. V3-local (also V1).
     */
    private Planted rawInvlpgAll() {
        if (cpus >= 2) {
            s.runOn(b, t.proc);
        } else {
            b = -1;
        }
        Planted r = record(InjectionKind.RAW_INVLPG_ALL, "invlpg-all-before-own-flush", "V3-local", "LATENT").also("V1");
        r.role("lock", lock(a));
        e.lock(a, as.maskLock);
        r.role("enq", enqProtect(a, false));
        r.role("shootdown", e.invlpgAll(a, va));
        r.role("late_flush", e.flush(a, "explicit"));
        e.unlock(a, as.maskLock);
        r.role("unlock", unlock(a));
        protectedNow();
        shootPage(a);
        r.key("enq", "shootdown");
        return r;
    }
}
