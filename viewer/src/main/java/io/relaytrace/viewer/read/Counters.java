package io.relaytrace.viewer.read;

/**
 * Sums of event counts read from a trace. The counts come from files, which may be hostile: a
 * total of counts that are each valid (never negative) must not overflow into a negative number.
 */
public final class Counters
{
    private Counters()
    {
    }

    /**
     * @param a a count, 0 or more.
     * @param b a count, 0 or more.
     * @return {@code a + b}, or {@link Long#MAX_VALUE} if that does not fit a long.
     */
    public static long sum(final long a, final long b)
    {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
