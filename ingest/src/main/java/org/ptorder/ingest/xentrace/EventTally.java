package org.ptorder.ingest.xentrace;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Records and bytes per event id of one file, and the facts trace_files reports. */
public final class EventTally {
    /**
     * Event id -> {records, bytes}, by open addressing on the id: every record is counted, and a
     * boxed TreeMap lookup per record cost 8 % of the ingest's Java time. Ids are 28-bit, so -1
     * marks a free slot.
     */
    private int[] ids = emptyIds(64);
    private long[] counts = new long[2 * 64];
    private int distinct;
    private long records;
    private long wraps;
    private long losts;
    private long lostTotal;
    private long firstTsc = Long.MAX_VALUE;
    private long lastTsc = Long.MIN_VALUE;

    public void add(XenRecord r) {
        int ev = r.event();
        int i = slot(ev);
        counts[2 * i]++;
        counts[2 * i + 1] += r.bytes();
        records++;
        if (ev == XenEvents.WRAP_BUFFER) {
            wraps++;
        } else if (ev == XenEvents.LOST_RECORDS) {
            losts++;
            if (r.words() >= 1) {
                lostTotal += r.word(0) & 0xFFFFFFFFL;
            }
        }
        long t = r.tsc();
        firstTsc = Math.min(firstTsc, t);
        lastTsc = Math.max(lastTsc, t);
    }

    private static int[] emptyIds(int n) {
        int[] a = new int[n];
        Arrays.fill(a, -1);
        return a;
    }

    /** The slot of {@code ev}, claimed if new. */
    private int slot(int ev) {
        int m = ids.length - 1;
        for (int i = (ev * 0x9E3779B1) >>> 7 & m; ; i = (i + 1) & m) {
            if (ids[i] == ev) {
                return i;
            }
            if (ids[i] < 0) {
                if (2 * (distinct + 1) > ids.length) {
                    grow();
                    return slot(ev);
                }
                ids[i] = ev;
                distinct++;
                return i;
            }
        }
    }

    private void grow() {
        int[] oldIds = ids;
        long[] oldCounts = counts;
        ids = emptyIds(oldIds.length * 2);
        counts = new long[2 * ids.length];
        distinct = 0;
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] >= 0) {
                int j = slot(oldIds[i]);
                counts[2 * j] = oldCounts[2 * i];
                counts[2 * j + 1] = oldCounts[2 * i + 1];
            }
        }
    }

    /** event id -> {records, bytes}, in id order (a new map on each call). */
    public Map<Integer, long[]> byEvent() {
        Map<Integer, long[]> m = new TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= 0) {
                m.put(ids[i], new long[] {counts[2 * i], counts[2 * i + 1]});
            }
        }
        return m;
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
