package org.ptorder.ingest.pmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ptorder.ingest.mmu.MmuOp;
import org.ptorder.ingest.mmu.Op;

/** Property: any canonical op sequence, written by PmtWriter, reads back field for field. */
class PmtRoundTripTest {
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:`+-@/#=$λ";

    @Test
    void randomOpsRoundTrip() {
        for (long seed = 1; seed <= 40; seed++) {
            Random rnd = new Random(seed);
            int cpus = 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 64);
            String system = new String[] {null, "netbsd", "linux"}[rnd.nextInt(3)];
            List<MmuOp> ops = randomOps(rnd, cpus, 300 + rnd.nextInt(300));

            StringBuilder text = new StringBuilder();
            PmtWriter w = new PmtWriter(text, rnd.nextBoolean() ? cpus : 0, system);
            for (MmuOp o : ops) {
                if (rnd.nextInt(20) == 0) {
                    w.comment("a comment with = signs and op names: enq pte=1");
                }
                w.write(o);
            }
            List<MmuOp> back = Pmt.read(text.toString());
            assertEquals(ops.size(), back.size(), "seed " + seed);
            long lastLine = 2;
            for (int i = 0; i < ops.size(); i++) {
                long s = seed;
                int k = i;
                assertEquals(Pmt.fields(ops.get(i), "srcLine", "srcOffset"), Pmt.fields(back.get(i), "srcLine", "srcOffset"),
                    () -> "seed " + s + ", op " + k);
                assertTrue(back.get(i).srcLine > lastLine);
                lastLine = back.get(i).srcLine;
            }
            PmtReader r = Pmt.reader(text.toString(), 0, Pmt.warnings());
            assertEquals(system, r.header().system());
        }
    }

    static List<MmuOp> randomOps(Random rnd, int cpus, int count) {
        List<MmuOp> ops = new ArrayList<>();
        long t = rnd.nextBoolean() ? 0 : rnd.nextLong() >>> 3;
        for (int i = 0; i < count; i++) {
            t += rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(1000);
            Op op = Op.values()[rnd.nextInt(Op.values().length)];
            MmuOp o = new MmuOp(rnd.nextInt(cpus), op);
            o.seq = i;
            o.ts = t;
            for (PmtKey k : PmtGrammar.required(op)) {
                fill(rnd, o, k, cpus);
            }
            for (PmtKey k : PmtGrammar.optional(op)) {
                if (rnd.nextBoolean()) {
                    fill(rnd, o, k, cpus);
                }
            }
            for (PmtKey k : PmtGrammar.COMMON) {
                if (rnd.nextInt(3) == 0 && !k.present(o)) {
                    fill(rnd, o, k, cpus);
                }
            }
            if (op == Op.ENQ && o.kind == null) {
                o.kind = "pt"; // the canonical form: the reader fills the default in
            }
            if (op == Op.FLUSH && o.done != MmuOp.NONE && Long.compareUnsigned(o.done, o.n) > 0) {
                o.done = o.n;
            }
            ops.add(o);
        }
        return ops;
    }

    private static void fill(Random rnd, MmuOp o, PmtKey k, int cpus) {
        switch (k.type) {
            case U64: {
                long v;
                do {
                    v = switch (rnd.nextInt(4)) {
                        case 0 -> rnd.nextInt(10);
                        case 1 -> rnd.nextInt() & 0xffffffffL;
                        default -> rnd.nextLong();
                    };
                } while (v == MmuOp.NONE);
                k.setLong(o, v);
                break;
            }
            case FLAG:
                k.setLong(o, rnd.nextInt(2));
                break;
            case LEVEL:
                k.setLong(o, 1 + rnd.nextInt(4));
                break;
            case CPU:
                k.setLong(o, rnd.nextInt(cpus));
                break;
            case HCOP:
                k.setLong(o, rnd.nextInt(rnd.nextBoolean() ? 56 : Integer.MAX_VALUE));
                break;
            case CPUSET: {
                BitSet s = new BitSet();
                int n = rnd.nextInt(cpus + 1);
                for (int i = 0; i < n; i++) {
                    s.set(rnd.nextInt(cpus));
                }
                k.setSet(o, s);
                break;
            }
            case WORD:
                k.setText(o, k.words()[rnd.nextInt(k.words().length)]);
                break;
            default: {
                StringBuilder sb = new StringBuilder();
                int n = 1 + rnd.nextInt(12);
                for (int i = 0; i < n; i++) {
                    sb.append(NAME_CHARS.charAt(rnd.nextInt(NAME_CHARS.length())));
                }
                k.setText(o, sb.toString());
            }
        }
    }

    @Test
    void writerRefusesWhatCannotBeReadBack() {
        StringBuilder sb = new StringBuilder();
        PmtWriter w = new PmtWriter(sb, 2, null);
        MmuOp ok = new MmuOp(0, Op.INVLPG);
        ok.ts = 10;
        ok.va = 0x7000;
        w.write(ok);

        MmuOp extra = ok.copy();
        extra.pte = 8;
        assertEquals("invlpg has no pte=, but the op carries it: " + extra,
            assertThrows(IllegalArgumentException.class, () -> w.write(extra)).getMessage());

        MmuOp missing = new MmuOp(0, Op.INVLPG);
        missing.ts = 10;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> w.write(missing)).getMessage()
            .startsWith("invlpg needs va="));

        MmuOp back = ok.copy();
        back.ts = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> w.write(back)).getMessage()
            .startsWith("ts goes back on cpu 0"));

        MmuOp blank = new MmuOp(1, Op.LOCK);
        blank.ts = 10;
        blank.lock = "pmap lock";
        assertEquals("lock= must be one non-empty token without blanks; got 'pmap lock'",
            assertThrows(IllegalArgumentException.class, () -> w.write(blank)).getMessage());

        MmuOp cpu = ok.copy();
        cpu.cpu = 2;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> w.write(cpu)).getMessage()
            .startsWith("cpu 2 out of range"));

        assertEquals("#! ptorder-pmap 1\n#! cpus=2 clock=ns origin=0\n10 0 invlpg va=0x7000\n", sb.toString());
    }
}
