package com.acme.workload;

/** The traced part of {@link CountedOverflow}: every call counted, on one thread. */
final class Overflowing
{
    static long calls;

    private Overflowing()
    {
    }

    static long recurse(final long n)
    {
        calls++;
        return recurse(n + 1) + 1;
    }

    static void plain()
    {
        calls++;
    }
}
