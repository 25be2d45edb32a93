package com.acme.workload;

/**
 * Recursion until {@link StackOverflowError}, three times, then ordinary calls: the overflow may
 * strike inside the tracer's own code, which must leave the thread traced and its buffer usable.
 */
public final class DeepRecursion
{
    public static final int OVERFLOWS = 3;

    private DeepRecursion()
    {
    }

    public static void main(final String[] args)
    {
        int overflows = 0;
        for (int i = 0; i < OVERFLOWS; i++)
        {
            try
            {
                recurse(0);
            }
            catch (final StackOverflowError ex)
            {
                overflows++;
            }
        }
        System.out.println("overflows=" + overflows + " depth=" + Recursion.depth(Workload.RECURSION_DEPTH));
    }

    static long recurse(final long n)
    {
        return recurse(n + 1) + 1;
    }
}
