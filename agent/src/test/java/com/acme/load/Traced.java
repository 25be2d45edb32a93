package com.acme.load;

/**
 * The one traced method of the load workload ({@code include=com.acme.load.Traced}): each call is
 * exactly two events, ENTER and EXIT. Never instantiated, so no constructor event either.
 */
public final class Traced
{
    private Traced()
    {
    }

    /** A little arithmetic the JIT cannot remove: the caller sums the results. */
    public static long step(final long x)
    {
        return x * 31 + (x >>> 7);
    }
}
