package org.ptorder.ingest.xentrace;

import java.util.Map;
import java.util.TreeMap;

/** Records and bytes per event id of one file, and the facts trace_files reports. */
public final class EventTally {
    private final Map<Integer, long[]> byEvent = new TreeMap<>();
    private long records;
    private long wraps;
    private long losts;
    private long lostTotal;
    private long firstTsc = Long.MAX_VALUE;
    private long lastTsc = Long.MIN_VALUE;

    public void add(XenRecord r) {
        int ev = r.event();
        long[] c = byEvent.get(ev);
        if (c == null) {
            c = new long[2];
            byEvent.put(ev, c);
        }
        c[0]++;
        c[1] += r.bytes();
        records++;
        if (ev == XenEvents.WRAP_BUFFER) {
            wraps++;
        } else if (ev == XenEvents.LOST_RECORDS) {
            losts++;
            lostTotal += r.word(0) & 0xFFFFFFFFL;
        }
        long t = r.tsc();
        firstTsc = Math.min(firstTsc, t);
        lastTsc = Math.max(lastTsc, t);
    }

    /** event id -> {records, bytes}, in id order. */
    public Map<Integer, long[]> byEvent() {
        return byEvent;
    }

    public long records() {
        return records;
    }

    public long wrapRecords() {
        return wraps;
    }

    public long lostRecords() {
        return losts;
    }

    public long lostTotal() {
        return lostTotal;
    }

    public long firstTsc() {
        return records == 0 ? 0 : firstTsc;
    }

    public long lastTsc() {
        return records == 0 ? 0 : lastTsc;
    }
}
