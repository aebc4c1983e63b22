package org.ptorder.ingest.mmu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PrefetchedOpsTest {
    /** Ops 0..n-1 (a shootdown every 7th, with its mask), failing at op {@code failAt} (or never). */
    private static final class Counting implements MmuOpSource {
        final long n;
        final long failAt;
        final MmuOp op = new MmuOp();
        final AtomicBoolean closed = new AtomicBoolean();
        long i;

        Counting(long n, long failAt) {
            this.n = n;
            this.failAt = failAt;
        }

        @Override
        public boolean next() {
            if (i == failAt) {
                throw new IllegalStateException("bad row at seq " + i);
            }
            if (i == n) {
                return false;
            }
            fill(op, i++);
            return true;
        }

        @Override
        public MmuOp op() {
            return op;
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    private static void fill(MmuOp o, long i) {
        o.clear();
        o.seq = i;
        o.cpu = (int) (i % 3);
        if (i % 7 == 0) {
            o.op = Op.INVLPG_MULTI;
            o.va = i << 12;
            o.mask = new BitSet();
            o.mask.set((int) (i % 5));
        } else {
            o.op = Op.ENQ;
            o.pte = 0x1000 + 8 * i;
            o.val = i * 31;
            o.kind = "pt";
        }
    }

    @Test
    void deliversEveryOpInOrderAcrossBatches() {
        long n = 3L * PrefetchedOps.BATCH_OPS * PrefetchedOps.POOL + 17;
        Counting inner = new Counting(n, -1);
        MmuOp want = new MmuOp();
        long seen = 0;
        try (PrefetchedOps p = new PrefetchedOps(inner, "test-read")) {
            while (p.next()) {
                fill(want, seen);
                MmuOp got = p.op();
                assertEquals(want.seq, got.seq);
                assertEquals(want.op, got.op);
                assertEquals(want.cpu, got.cpu);
                assertEquals(want.pte, got.pte);
                assertEquals(want.val, got.val);
                assertEquals(want.va, got.va);
                assertEquals(want.mask, got.mask);
                seen++;
            }
            assertFalse(p.next(), "stays ended");
        }
        assertEquals(n, seen);
        assertTrue(inner.closed.get());
    }

    @Test
    void emptySource() {
        try (PrefetchedOps p = new PrefetchedOps(new Counting(0, -1), "test-read")) {
            assertFalse(p.next());
        }
    }

    @Test
    void aFailureArrivesAfterTheOpsReadBeforeIt() {
        long failAt = PrefetchedOps.BATCH_OPS + 5;
        long seen = 0;
        try (PrefetchedOps p = new PrefetchedOps(new Counting(10 * failAt, failAt), "test-read")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                while (p.next()) {
                    // counted below
                }
            });
            assertEquals("bad row at seq " + failAt, e.getMessage());
        }
        try (PrefetchedOps p = new PrefetchedOps(new Counting(10 * failAt, failAt), "test-read")) {
            while (true) {
                try {
                    if (!p.next()) {
                        break;
                    }
                } catch (IllegalStateException e) {
                    break;
                }
                assertEquals(seen, p.op().seq);
                seen++;
            }
        }
        assertEquals(failAt, seen, "every op before the failure");
    }

    @Test
    void closingEarlyStopsTheReaderAndClosesTheSource() throws Exception {
        Counting inner = new Counting(Long.MAX_VALUE, -1); // never ends: the reader blocks on a full pool
        PrefetchedOps p = new PrefetchedOps(inner, "test-read");
        assertTrue(p.next());
        CountDownLatch done = new CountDownLatch(1);
        Thread closer = new Thread(() -> {
            p.close();
            done.countDown();
        });
        closer.start();
        assertTrue(done.await(10, java.util.concurrent.TimeUnit.SECONDS), "close() returned");
        assertTrue(inner.closed.get());
    }
}
