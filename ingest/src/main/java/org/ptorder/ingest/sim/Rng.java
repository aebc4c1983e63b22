package org.ptorder.ingest.sim;

/**
 * The simulator's random numbers: xoshiro256** seeded through SplitMix64. Written out here (not
 * {@code java.util.Random} or {@code SplittableRandom}) so that a seed gives the same trace on every
 * JDK, forever: the determinism promise of {@code ptorder simulate} rests on it.
 */
final class Rng {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    Rng(long seed) {
        long x = seed;
        s0 = mix(x += 0x9E3779B97F4A7C15L);
        s1 = mix(x += 0x9E3779B97F4A7C15L);
        s2 = mix(x += 0x9E3779B97F4A7C15L);
        s3 = mix(x + 0x9E3779B97F4A7C15L);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, bound), bound > 0 (Lemire's multiply-shift; the tiny bias is irrelevant here). */
    int nextInt(int bound) {
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }

    /** Uniform in [lo, hi]. */
    int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    /** Uniform in [0, 1). */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    boolean chance(double p) {
        return p > 0 && nextDouble() < p;
    }

    /** A child generator, so adding draws in one part of the model does not shift another's. */
    Rng split() {
        return new Rng(nextLong());
    }
}
