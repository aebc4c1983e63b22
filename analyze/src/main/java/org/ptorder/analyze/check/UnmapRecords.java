package org.ptorder.analyze.check;

import java.util.ArrayList;

/**
 * The live {@link UnmapRecord}s, oldest first, and by the frame each unmapped and by the VA range
 * (start | level) of its entry. Each is an intrusive doubly-linked list through the records, so
 * adding or dropping a record is O(1) and allocates nothing beyond the record: an unmap is recorded
 * for most applied updates, and an index of lists per key swept by scanning cost a quarter of the
 * checker's time on a large trace.
 */
final class UnmapRecords {
    /** Sentinel of the age list: {@code order.ageNext} is the oldest live record. */
    private final UnmapRecord order = new UnmapRecord(null, 0, 0);
    /** Key to the first record of that key's circular list ({@code first.framePrev} is the last). */
    private final LongMap<UnmapRecord> byFrame = new LongMap<>();
    private final LongMap<UnmapRecord> byRange = new LongMap<>();
    private int size;

    UnmapRecords() {
        order.ageNext = order;
        order.agePrev = order;
    }

    int size() {
        return size;
    }

    void add(UnmapRecord rec) {
        rec.agePrev = order.agePrev;
        rec.ageNext = order;
        order.agePrev.ageNext = rec;
        order.agePrev = rec;
        UnmapRecord f = byFrame.get(rec.frame);
        if (f == null) {
            rec.frameNext = rec;
            rec.framePrev = rec;
            byFrame.put(rec.frame, rec);
        } else {
            rec.framePrev = f.framePrev;
            rec.frameNext = f;
            f.framePrev.frameNext = rec;
            f.framePrev = rec;
        }
        if (rec.rangeKey != UnmapRecord.NO_RANGE) {
            UnmapRecord r = byRange.get(rec.rangeKey);
            if (r == null) {
                rec.rangeNext = rec;
                rec.rangePrev = rec;
                byRange.put(rec.rangeKey, rec);
            } else {
                rec.rangePrev = r.rangePrev;
                rec.rangeNext = r;
                r.rangePrev.rangeNext = rec;
                r.rangePrev = rec;
            }
        }
        size++;
    }

    /**
     * Marks the record dead and unlinks it everywhere. Its own links are cleared: a dead record
     * already in the old generation that still pointed at newer ones would keep them (and their
     * entries) alive through every young collection, and they the next ones.
     */
    void kill(UnmapRecord rec) {
        if (rec.dead) {
            return;
        }
        rec.dead = true;
        size--;
        rec.agePrev.ageNext = rec.ageNext;
        rec.ageNext.agePrev = rec.agePrev;
        if (rec.frameNext == rec) {
            byFrame.remove(rec.frame);
        } else {
            rec.framePrev.frameNext = rec.frameNext;
            rec.frameNext.framePrev = rec.framePrev;
            if (byFrame.get(rec.frame) == rec) {
                byFrame.put(rec.frame, rec.frameNext);
            }
        }
        if (rec.rangeKey != UnmapRecord.NO_RANGE) {
            if (rec.rangeNext == rec) {
                byRange.remove(rec.rangeKey);
            } else {
                rec.rangePrev.rangeNext = rec.rangeNext;
                rec.rangeNext.rangePrev = rec.rangePrev;
                if (byRange.get(rec.rangeKey) == rec) {
                    byRange.put(rec.rangeKey, rec.rangeNext);
                }
            }
        }
        rec.ageNext = null;
        rec.agePrev = null;
        rec.frameNext = null;
        rec.framePrev = null;
        rec.rangeNext = null;
        rec.rangePrev = null;
    }

    /** The oldest live record, or null. */
    UnmapRecord oldest() {
        return order.ageNext == order ? null : order.ageNext;
    }

    /** The live record recorded after {@code rec} (a live one), or null. */
    UnmapRecord newer(UnmapRecord rec) {
        UnmapRecord n = rec.ageNext;
        return n == order ? null : n;
    }

    /** The first record of range {@code key} (iterate with {@link UnmapRecord#rangeNext} until back here), or null. */
    UnmapRecord firstInRange(long key) {
        return byRange.get(key);
    }

    /** The live records of frame {@code m}, oldest first, copied into {@code into} (cleared first). */
    void ofFrame(long m, ArrayList<UnmapRecord> into) {
        into.clear();
        UnmapRecord first = byFrame.get(m);
        if (first == null) {
            return;
        }
        UnmapRecord r = first;
        do {
            into.add(r);
            r = r.frameNext;
        } while (r != first);
    }
}
