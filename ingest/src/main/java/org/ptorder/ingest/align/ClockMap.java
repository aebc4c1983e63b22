package org.ptorder.ingest.align;

/** A linear map from a guest clock onto the Xen TSC axis: {@code tsc = slope * t + offset}. */
public record ClockMap(double slope, double offset) {
    public static final ClockMap IDENTITY = new ClockMap(1, 0);

    public long toXen(long guestTime) {
        return Math.round(slope * guestTime + offset);
    }

    public ClockMap shifted(double cycles) {
        return new ClockMap(slope, offset + cycles);
    }
}
