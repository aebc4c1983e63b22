package org.ptorder.ingest.xentrace;

import java.util.ArrayList;
import java.util.List;
import org.ptorder.ingest.common.WarningSink;

/**
 * Merges the per-pCPU record streams of one file into a single timeline: a k-way merge on
 * (TSC, pCPU, file offset), so ties are deterministic and one CPU's records keep file order.
 * Pull-based ({@link #next}) so a consumer such as an Arrow batch builder sets the pace, and it
 * emits runs: after picking the earliest CPU it keeps reading that CPU while its records stay
 * ahead of every other head, which makes the common case a plain sequential scan.
 */
public final class RecordCursor implements AutoCloseable {
    private final TraceFile file;
    private final FrameScan frames;
    private final List<CpuStream> all = new ArrayList<>();
    private final CpuStream[] heap;
    private int heapSize;
    private CpuStream current;
    private final XenRecord rec = new XenRecord();
    private long seq;
    private long bytesDone;
    private final long firstTsc;
    private int endedCpu = -1;

    private RecordCursor(TraceFile file, FrameScan frames, WarningSink warnings) {
        this.file = file;
        this.frames = frames;
        WindowChain chain = new WindowChain(file);
        heap = new CpuStream[frames.cpuCount()];
        for (FrameScan.CpuFrames c : frames.cpus()) {
            CpuStream s = new CpuStream(file, chain, c.cpu(), c.firstWindow(), warnings);
            all.add(s);
            if (s.advance()) {
                push(s);
            }
        }
        firstTsc = heapSize > 0 ? heap[0].headTsc : 0;
    }

    /** TSC of the earliest record: the origin of the file's time axis. */
    public long firstTsc() {
        return firstTsc;
    }

    /** Opens and pre-scans {@code file}; framing damage goes to {@code warnings}. */
    public static RecordCursor open(TraceFile file, WarningSink warnings) {
        return new RecordCursor(file, FrameScan.scan(file, warnings), warnings);
    }

    public FrameScan frames() {
        return frames;
    }

    public TraceFile file() {
        return file;
    }

    /** Moves to the next record in time order; false at the end. */
    public boolean next() {
        CpuStream s = current;
        endedCpu = -1;
        if (s != null) {
            if (!s.advance()) {
                endedCpu = s.cpu;
                s = null;
            } else if (heapSize > 0 && before(heap[0], s)) {
                push(s);
                s = null;
            }
        }
        if (s == null) {
            if (heapSize == 0) {
                current = null;
                return false;
            }
            s = pop();
        }
        current = s;
        rec.seq = seq++;
        rec.offset = s.headOffset;
        rec.cpu = s.cpu;
        rec.header = s.headHeader;
        rec.words = s.words;
        rec.at = s.headIndex;
        rec.tsc = s.headTsc;
        rec.tscInherited = s.headInherited;
        bytesDone += CpuStream.recordSize(s.headHeader);
        return true;
    }

    /**
     * The pCPU whose last record was the previous one, learned by this call to {@link #next};
     * -1 if none. Lets an analysis close a pCPU's state right after its final record.
     */
    public int endedCpu() {
        return endedCpu;
    }

    /** The current record (a reused view). */
    public XenRecord record() {
        return rec;
    }

    /** Record bytes delivered so far, for progress. */
    public long bytesDone() {
        return bytesDone;
    }

    public long backwardsTscCount() {
        long n = 0;
        for (CpuStream s : all) {
            n += s.backwardsTsc();
        }
        return n;
    }

    /** True when {@code a}'s head record comes strictly before {@code b}'s. */
    private static boolean before(CpuStream a, CpuStream b) {
        if (a.headTsc != b.headTsc) {
            return a.headTsc < b.headTsc;
        }
        if (a.cpu != b.cpu) {
            return a.cpu < b.cpu;
        }
        return a.headOffset < b.headOffset;
    }

    private void push(CpuStream s) {
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(s, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = s;
    }

    private CpuStream pop() {
        CpuStream top = heap[0];
        CpuStream last = heap[--heapSize];
        heap[heapSize] = null;
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= heapSize) {
                break;
            }
            int r = l + 1;
            int c = r < heapSize && before(heap[r], heap[l]) ? r : l;
            if (!before(heap[c], last)) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        if (heapSize > 0) {
            heap[i] = last;
        }
        return top;
    }

    @Override
    public void close() {
        file.close();
    }
}
