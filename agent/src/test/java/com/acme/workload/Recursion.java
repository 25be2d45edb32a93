package com.acme.workload;

/** {@code depth(n)} calls itself until 0: n + 1 calls. */
final class Recursion
{
    private Recursion()
    {
    }

    static long depth(final int n)
    {
        return n == 0 ? 0 : 1 + depth(n - 1);
    }
}
