package org.ptorder.ingest.pmap;

import static org.ptorder.ingest.pmap.PmtKey.AT;
import static org.ptorder.ingest.pmap.PmtKey.COUNT;
import static org.ptorder.ingest.pmap.PmtKey.CV;
import static org.ptorder.ingest.pmap.PmtKey.DONE;
import static org.ptorder.ingest.pmap.PmtKey.DST;
import static org.ptorder.ingest.pmap.PmtKey.DUR;
import static org.ptorder.ingest.pmap.PmtKey.EXPECT;
import static org.ptorder.ingest.pmap.PmtKey.FLAGS;
import static org.ptorder.ingest.pmap.PmtKey.FRAME;
import static org.ptorder.ingest.pmap.PmtKey.IPI;
import static org.ptorder.ingest.pmap.PmtKey.KIND;
import static org.ptorder.ingest.pmap.PmtKey.LEVEL;
import static org.ptorder.ingest.pmap.PmtKey.LOCK;
import static org.ptorder.ingest.pmap.PmtKey.MASK;
import static org.ptorder.ingest.pmap.PmtKey.MFN;
import static org.ptorder.ingest.pmap.PmtKey.N;
import static org.ptorder.ingest.pmap.PmtKey.NEW;
import static org.ptorder.ingest.pmap.PmtKey.OK;
import static org.ptorder.ingest.pmap.PmtKey.OLD;
import static org.ptorder.ingest.pmap.PmtKey.OP;
import static org.ptorder.ingest.pmap.PmtKey.PTE;
import static org.ptorder.ingest.pmap.PmtKey.PURPOSE;
import static org.ptorder.ingest.pmap.PmtKey.REASON;
import static org.ptorder.ingest.pmap.PmtKey.ROOT;
import static org.ptorder.ingest.pmap.PmtKey.THREAD;
import static org.ptorder.ingest.pmap.PmtKey.TO;
import static org.ptorder.ingest.pmap.PmtKey.TSC;
import static org.ptorder.ingest.pmap.PmtKey.USER;
import static org.ptorder.ingest.pmap.PmtKey.VA;
import static org.ptorder.ingest.pmap.PmtKey.VAL;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.ptorder.ingest.mmu.Op;

/**
 * Which keys each op takes (DESIGN.md's vocabulary table): the required ones, the optional
 * ones, and {@code thread=}, {@code tsc=}, {@code at=} which any event may carry. Keys are listed
 * in the order the writer emits them.
 */
public final class PmtGrammar {
    private PmtGrammar() { }

    /** Keys every op accepts. */
    public static final List<PmtKey> COMMON = List.of(THREAD, TSC, AT);
    private static final long COMMON_BITS = bits(COMMON);

    private record Spec(List<PmtKey> required, List<PmtKey> optional, long requiredBits, long allowedBits) { }

    private static final Map<Op, Spec> SPECS = new EnumMap<>(Op.class);

    static {
        def(Op.ENQ, List.of(PTE, VAL), List.of(OLD, VA, KIND));
        def(Op.FLUSH, List.of(N, REASON), List.of(DONE));
        def(Op.TLB_FLUSH, List.of(), List.of());
        def(Op.INVLPG, List.of(VA), List.of());
        def(Op.TLB_FLUSH_MULTI, List.of(MASK), List.of());
        def(Op.INVLPG_MULTI, List.of(VA, MASK), List.of());
        def(Op.TLB_FLUSH_ALL, List.of(), List.of());
        def(Op.INVLPG_ALL, List.of(VA), List.of());
        def(Op.NEW_BASEPTR, List.of(ROOT), List.of(USER));
        def(Op.PIN, List.of(MFN, LEVEL), List.of());
        def(Op.UNPIN, List.of(MFN), List.of());
        def(Op.MAP_TABLE, List.of(MFN, LEVEL, VA), List.of());
        def(Op.UPDATE_VA_MAPPING, List.of(VA, VAL, FLAGS), List.of());
        def(Op.OOB_READ, List.of(PTE), List.of(VAL));
        def(Op.RMW, List.of(PTE, NEW), List.of(EXPECT, OK));
        def(Op.ACCESS, List.of(VA), List.of(FRAME));
        def(Op.FRAME_FREE, List.of(MFN), List.of());
        def(Op.FRAME_ALLOC, List.of(MFN, PURPOSE), List.of());
        def(Op.LOCK, List.of(LOCK), List.of());
        def(Op.UNLOCK, List.of(LOCK), List.of());
        def(Op.IPI_SEND, List.of(IPI, DST), List.of());
        def(Op.IPI_RECV, List.of(IPI), List.of());
        def(Op.IPI_ACK, List.of(IPI), List.of());
        def(Op.IPI_DONE, List.of(IPI), List.of());
        def(Op.CV_WAIT, List.of(CV), List.of());
        def(Op.CV_WAKE, List.of(CV), List.of());
        def(Op.CV_BROADCAST, List.of(CV), List.of());
        def(Op.LAZY_ENTER, List.of(), List.of());
        def(Op.LAZY_LEAVE, List.of(), List.of());
        // thread= is common, but a migration without the thread that moved says nothing.
        def(Op.MIGRATE, List.of(THREAD, TO), List.of());
        def(Op.HYPERCALL, List.of(OP), List.of(COUNT, DUR));
        for (Op o : Op.values()) {
            if (!SPECS.containsKey(o)) {
                throw new ExceptionInInitializerError("no .pmt grammar for op " + o);
            }
        }
    }

    private static void def(Op op, List<PmtKey> required, List<PmtKey> optional) {
        long req = bits(required);
        SPECS.put(op, new Spec(required, optional, req, req | bits(optional) | COMMON_BITS));
    }

    private static long bits(List<PmtKey> keys) {
        long b = 0;
        for (PmtKey k : keys) {
            b |= k.bit();
        }
        return b;
    }

    public static long requiredBits(Op op) {
        return SPECS.get(op).requiredBits;
    }

    public static long allowedBits(Op op) {
        return SPECS.get(op).allowedBits;
    }

    public static List<PmtKey> required(Op op) {
        return SPECS.get(op).required;
    }

    public static List<PmtKey> optional(Op op) {
        return SPECS.get(op).optional;
    }

    /** Every key {@code op} takes, in writing order: required, optional, then the common ones. */
    public static List<PmtKey> keys(Op op) {
        List<PmtKey> all = new ArrayList<>(SPECS.get(op).required);
        for (PmtKey k : SPECS.get(op).optional) {
            if (!all.contains(k)) {
                all.add(k);
            }
        }
        for (PmtKey k : COMMON) {
            if (!all.contains(k)) {
                all.add(k);
            }
        }
        return all;
    }

    /** For messages: {@code "pte=, val=, old=?, va=?, kind=?"} plus the common keys. */
    public static String describe(Op op) {
        StringBuilder sb = new StringBuilder();
        for (PmtKey k : keys(op)) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(k.text).append('=');
            if ((SPECS.get(op).requiredBits & k.bit()) == 0) {
                sb.append('?');
            }
        }
        return sb.toString();
    }
}
