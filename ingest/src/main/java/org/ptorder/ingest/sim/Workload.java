package org.ptorder.ingest.sim;

import java.util.List;
import org.ptorder.ingest.sim.GuestModel.SimThread;

/**
 * The workloads: which processes and threads exist and what each thread does, one logical operation
 * per step (a page touch that may fault, an mmap, an mprotect, a fork, ...). Think times (user work
 * between steps, in ns) are part of the timing model.
 *
 * <ul>
 *   <li>{@code fork-exec}: shell loops: fork, the child execs a program that faults in its text, data
 *       and stack, sometimes maps kernel buffers, exits; the shell waits and goes again.
 *   <li>{@code munmap-storm}: threads that mmap 16-256 pages, touch them all and munmap them, over and
 *       over (the shootdown and free path).
 *   <li>{@code mprotect}: threads that map a region once and then flip random sub-ranges read-only and
 *       back, with madvise and re-faults in between.
 *   <li>{@code mixed}: the workload of the real capture run-a
 *       (shared/data/real/qemu-tcg-xen417-pv-dom0/README.md): an "mmwork" process with two threads
 *       that mmap 256-512 KiB, touch it, mprotect half, madvise(DONTNEED) a quarter, touch again and
 *       munmap, and a main thread that every 20 ms forks a child that copy-on-write-touches its 4 MiB
 *       heap and exits; plus a shell loop (true, ls, echo | cat, dd, rm: fork and exec each).
 * </ul>
 * With more vCPUs each workload runs more such processes (about one per two vCPUs).
 */
final class Workload {
    static final List<String> NAMES = List.of("fork-exec", "munmap-storm", "mprotect", "mixed");

    private Workload() { }

    /** What a thread does. */
    interface Behavior {
        /** Performs the thread's next operation on {@code cpu}; returns the user time before the next, ns. */
        long step(Simulator s, SimThread t, int cpu);
    }

    static void start(String name, Simulator s, int cpus) {
        int groups = Math.max(1, cpus / 2);
        switch (name) {
            case "fork-exec" -> {
                for (int i = 0; i < groups; i++) {
                    s.spawnProcess(new Shell(6, 20_000));
                }
            }
            case "munmap-storm" -> {
                for (int i = 0; i < groups; i++) {
                    s.spawnProcess(new MapLoop(16, 256, false, false, 2_000), new MapLoop(16, 256, false, false, 2_000));
                }
            }
            case "mprotect" -> {
                for (int i = 0; i < groups; i++) {
                    s.spawnProcess(new ProtectLoop(), new ProtectLoop());
                }
            }
            case "mixed" -> {
                for (int i = 0; i < groups; i++) {
                    // Pauses calibrated so that iterations : forks : shell passes resemble run-a's
                    // 465 : 28 : 30 and the batching figures match (RunADistributionTest).
                    s.spawnProcess(new MapLoop(64, 128, true, true, 400_000), new MapLoop(64, 128, true, true, 400_000),
                        new Forker(1024, 20_000_000));
                    s.spawnProcess(new Shell(6, 8_000_000));
                }
            }
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** Cost of a system call's own work around the MMU part, ns. */
    static final long SYSCALL = 1_200;
    /** User time to touch (write) one page. */
    static final long TOUCH = 300;

    /** mmap, touch, [mprotect half, madvise a quarter, touch again], munmap; repeat. */
    static final class MapLoop implements Behavior {
        private final int min;
        private final int max;
        private final boolean protect;
        private final boolean advise;
        private final long pause;
        private int phase;
        private int start;
        private int n;
        private int i;

        MapLoop(int min, int max, boolean protect, boolean advise, long pause) {
            this.min = min;
            this.max = max;
            this.protect = protect;
            this.advise = advise;
            this.pause = pause;
        }

        @Override
        public long step(Simulator s, SimThread t, int cpu) {
            switch (phase) {
                case 0 -> {
                    n = s.rng.between(min, max);
                    start = s.mmap(t, n);
                    if (start < 0) {
                        return pause;
                    }
                    i = 0;
                    phase = 1;
                    return SYSCALL;
                }
                case 1 -> {
                    s.touch(cpu, t, start + i, true);
                    if (++i == n) {
                        phase = protect ? 2 : 5;
                    }
                    return TOUCH;
                }
                case 2 -> {
                    s.mprotect(cpu, t, start, n / 2, true);
                    phase = advise ? 3 : 5;
                    return SYSCALL;
                }
                case 3 -> {
                    s.madvise(cpu, t, start + n / 2, n / 4);
                    i = n / 2;
                    phase = 4;
                    return SYSCALL;
                }
                case 4 -> {
                    s.touch(cpu, t, start + i, true);
                    if (++i == n / 2 + n / 4) {
                        phase = 5;
                        if (s.rng.chance(0.1)) {
                            s.extract(cpu, t, start + s.rng.nextInt(n));
                        }
                    }
                    return TOUCH;
                }
                default -> {
                    s.munmap(cpu, t, start, n);
                    phase = 0;
                    return pause / 2 + s.rng.nextInt((int) Math.min(Integer.MAX_VALUE, pause));
                }
            }
        }
    }

    /** Maps a heap and touches it, then forks a copy-on-write toucher every {@code interval} ns. */
    static final class Forker implements Behavior {
        private final int pages;
        private final long interval;
        private int heap = -1;
        private int i;

        Forker(int pages, long interval) {
            this.pages = pages;
            this.interval = interval;
        }

        @Override
        public long step(Simulator s, SimThread t, int cpu) {
            if (heap < 0) {
                heap = s.mmap(t, pages);
                if (heap < 0) {
                    s.sleep(t, interval);
                    return 0;
                }
                return SYSCALL;
            }
            if (i < pages) {
                s.touch(cpu, t, heap + i++, true);
                return TOUCH;
            }
            s.fork(cpu, t, new CowToucher(heap, pages));
            s.sleep(t, interval / 2 + s.rng.nextInt((int) interval));
            return 0;
        }
    }

    /** A forked child that writes every page of the parent's heap (copy-on-write), then exits. */
    static final class CowToucher implements Behavior {
        private final int heap;
        private final int pages;
        private int i;

        CowToucher(int heap, int pages) {
            this.heap = heap;
            this.pages = pages;
        }

        @Override
        public long step(Simulator s, SimThread t, int cpu) {
            if (i < pages) {
                s.touch(cpu, t, heap + i++, true);
                return TOUCH;
            }
            s.exit(cpu, t);
            return 0;
        }
    }

    /** Pages of a program's text, mapped by one fault with fault-around. */
    static final int FAULT_AROUND = 16;

    /** A shell: a pass runs {@code commands} programs, each forked, exec'd and waited for. */
    static final class Shell implements Behavior {
        private final int commands;
        private final long pause;
        private int text = -1;
        private int heap = -1;
        private int touched;
        private int cmd;

        Shell(int commands, long pause) {
            this.commands = commands;
            this.pause = pause;
        }

        @Override
        public long step(Simulator s, SimThread t, int cpu) {
            if (text < 0) {
                text = s.mmapText(t, 200);
                heap = s.mmap(t, 48);
                return SYSCALL;
            }
            if (touched < 200) {
                s.touchFile(cpu, t, text + touched, FAULT_AROUND);
                touched += FAULT_AROUND;
                return TOUCH;
            }
            if (touched < 248) {
                s.touch(cpu, t, heap + touched++ - 200, true);
                return TOUCH;
            }
            s.fork(cpu, t, new Program(cmd));
            cmd = (cmd + 1) % commands;
            s.waitChild(t);
            return cmd == 0 ? pause : SYSCALL;
        }
    }

    /**
     * A program a shell runs: exec; its text (read, with fault-around) and data, stack and heap
     * (written); dd also maps kernel buffers; exit. About 450 pages, as busybox commands in run-a.
     */
    static final class Program implements Behavior {
        private final int kind;
        private int phase;
        private int text;
        private int tn;
        private int data;
        private int dn;
        private int i;
        private int kbufs;

        Program(int kind) {
            this.kind = kind;
        }

        @Override
        public long step(Simulator s, SimThread t, int cpu) {
            switch (phase) {
                case 0 -> {
                    s.exec(cpu, t);
                    tn = s.rng.between(250, 450);
                    dn = s.rng.between(40, 150);
                    text = s.mmapText(t, tn);
                    data = s.mmap(t, dn);
                    phase = text < 0 || data < 0 ? 4 : 1;
                    kbufs = kind == 3 ? s.rng.between(4, 16) : 0; // dd
                    i = 0;
                    return SYSCALL * 20;
                }
                case 1 -> {
                    s.touchFile(cpu, t, text + i, FAULT_AROUND);
                    i += FAULT_AROUND;
                    if (i >= tn) {
                        i = 0;
                        phase = 2;
                    }
                    return TOUCH;
                }
                case 2 -> {
                    s.touch(cpu, t, data + i, true);
                    if (++i == dn) {
                        phase = 3;
                    }
                    return TOUCH;
                }
                case 3 -> {
                    if (kbufs > 0) {
                        kbufs--;
                        int pages = s.rng.between(1, 8);
                        int kp = s.kmap(cpu, pages);
                        if (kp >= 0) {
                            s.kunmap(cpu, kp, pages);
                        }
                        return SYSCALL * 4;
                    }
                    phase = 4;
                    return SYSCALL;
                }
                default -> {
                    s.exit(cpu, t);
                    return 0;
                }
            }
        }
    }

    /** Maps a region once, then flips sub-ranges read-only and back, with madvise and re-faults. */
    static final class ProtectLoop implements Behavior {
        private int start = -1;
        private int n;
        private int i;
        private int j;
        private int rounds;
        private int subStart;
        private int subN;
        private int phase;

        @Override
        public long step(Simulator s, SimThread t, int cpu) {
            if (start < 0) {
                n = s.rng.between(64, 512);
                start = s.mmap(t, n);
                if (start < 0) {
                    return SYSCALL * 10;
                }
                i = 0;
                phase = 0;
                rounds = s.rng.between(20, 60);
                return SYSCALL;
            }
            if (i < n) {
                s.touch(cpu, t, start + i++, true);
                return TOUCH;
            }
            switch (phase) {
                case 0 -> {
                    subN = s.rng.between(1, Math.min(64, n));
                    subStart = start + s.rng.nextInt(n - subN + 1);
                    s.mprotect(cpu, t, subStart, subN, true);
                    phase = 1;
                    return SYSCALL * 3;
                }
                case 1 -> {
                    s.mprotect(cpu, t, subStart, subN, false);
                    phase = s.rng.chance(0.3) ? 2 : --rounds <= 0 ? 3 : 0;
                    return SYSCALL * 3;
                }
                case 2 -> {
                    s.madvise(cpu, t, subStart, subN);
                    j = 0;
                    phase = 4;
                    return SYSCALL;
                }
                case 4 -> {
                    s.touch(cpu, t, subStart + j, true);
                    if (++j == subN) {
                        phase = --rounds <= 0 ? 3 : 0;
                    }
                    return TOUCH;
                }
                default -> {
                    s.munmap(cpu, t, start, n);
                    start = -1;
                    return SYSCALL * 10;
                }
            }
        }
    }

    /** The injector's helper threads: they only ever sleep. */
    static final class Idle implements Behavior {
        @Override
        public long step(Simulator s, SimThread t, int cpu) {
            s.sleep(t, 1_000_000_000L);
            return 0;
        }
    }
}
