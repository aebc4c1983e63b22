package org.ptorder.ingest.xentrace;

import java.util.Arrays;

/**
 * Which domain and vCPU is running on each pCPU, learned from scheduler records the way
 * xenalyze learns it (p->current), so per-vCPU counts agree with xenalyze's summary.
 * A pCPU starts in the "default domain" 32768 (nothing known yet); a runstate change into
 * {@code running} makes that vCPU current; a change out of {@code running} of the current vCPU
 * leaves the pCPU with no known vCPU until the next one starts. Feed every record in merged
 * order to {@link #observe} before asking.
 */
public final class VcpuTracker {
    public static final int DEFAULT_DOMAIN = 32768;
    public static final int NONE = -1;

    private int[] dom = new int[0];
    private int[] vcpu = new int[0];

    private void ensure(int cpu) {
        if (cpu >= dom.length) {
            int old = dom.length;
            int n = Math.max(cpu + 1, old * 2);
            dom = Arrays.copyOf(dom, n);
            vcpu = Arrays.copyOf(vcpu, n);
            for (int i = old; i < n; i++) {
                dom[i] = DEFAULT_DOMAIN;
                vcpu[i] = i;
            }
        }
    }

    /** Updates the state with {@code r}. Attribution of {@code r} itself is asked before. */
    public void observe(XenRecord r) {
        int ev = r.event();
        int cpu = r.cpu();
        ensure(cpu);
        if (XenEvents.isRunstateChange(ev) && r.words() >= 1) {
            int w = r.word(0);
            int d = w >>> 16;
            int v = w & 0xFFFF;
            int from = (ev >> 8) & 0xF;
            int to = (ev >> 4) & 0xF;
            if (to == 0) {
                dom[cpu] = d;
                vcpu[cpu] = v;
            } else if (from == 0 && dom[cpu] == d && vcpu[cpu] == v) {
                dom[cpu] = NONE;
                vcpu[cpu] = NONE;
            }
        } else if (ev == XenEvents.RUNSTATE_CONTINUE && r.words() >= 1) {
            int w = r.word(0);
            dom[cpu] = w >>> 16;
            vcpu[cpu] = w & 0xFFFF;
        }
    }

    /** The domain current on {@code cpu}, {@link #DEFAULT_DOMAIN} or {@link #NONE}. */
    public int dom(int cpu) {
        ensure(cpu);
        return dom[cpu];
    }

    public int vcpu(int cpu) {
        ensure(cpu);
        return vcpu[cpu];
    }
}
