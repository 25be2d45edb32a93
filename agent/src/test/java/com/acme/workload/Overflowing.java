package com.acme.workload;

/**
 * The traced part of {@link CountedOverflow}: every call counted, on one thread. {@link #recurse}
 * keeps 32 longs live across its recursive call, so that its frame (interpreted or compiled)
 * is larger than the tracer's entry frames: as an overflow unwinds, at most the deepest frame's
 * calls into the tracer find no room to be made at all (see {@code TracedWorkloadIT}).
 */
final class Overflowing
{
    static long calls;

    private Overflowing()
    {
    }

    static long recurse(final long n)
    {
        calls++;
        final long a = n * 3, b = n * 5, c = n * 7, d = n * 11, e = n * 13, f = n * 17, g = n * 19, h = n * 23;
        final long i = n * 29, j = n * 31, k = n * 37, l = n * 41, m = n * 43, o = n * 47, p = n * 53, q = n * 59;
        final long r = n * 61, s = n * 67, t = n * 71, u = n * 73, v = n * 79, w = n * 83, x = n * 89, y = n * 97;
        final long z = n * 101, aa = n * 103, ab = n * 107, ac = n * 109, ad = n * 113, ae = n * 127, af = n * 131,
            ag = n * 137;
        return recurse(n + 1) + a + b + c + d + e + f + g + h + i + j + k + l + m + o + p + q + r + s + t + u + v + w + x +
            y + z + aa + ab + ac + ad + ae + af + ag;
    }

    static void plain()
    {
        calls++;
    }
}
