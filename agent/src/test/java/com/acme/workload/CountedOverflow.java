package com.acme.workload;

/**
 * Recursion until {@link StackOverflowError}, {@value #OVERFLOWS} times, then {@value #PLAIN_CALLS}
 * ordinary calls, in {@link Overflowing} (the only class traced), whose every call is counted: the
 * overflow strikes inside the tracer's own code too, and every event it could not record must be
 * counted. Prints {@code overflows=N calls=N}.
 */
public final class CountedOverflow
{
    public static final int OVERFLOWS = 5;
    public static final int PLAIN_CALLS = 1000;

    private CountedOverflow()
    {
    }

    public static void main(final String[] args)
    {
        int overflows = 0;
        for (int i = 0; i < OVERFLOWS; i++)
        {
            try
            {
                Overflowing.recurse(0);
            }
            catch (final StackOverflowError ex)
            {
                overflows++;
            }
        }
        for (int i = 0; i < PLAIN_CALLS; i++)
        {
            Overflowing.plain();
        }
        System.out.println("overflows=" + overflows + " calls=" + Overflowing.calls);
    }
}
