package io.relaytrace.viewer.analysis;

import org.HdrHistogram.Histogram;

/**
 * The completed calls of one method: counts, total and self time, exact min and max, and the
 * distribution of durations in an HdrHistogram with 3 significant digits (values in ns).
 */
public final class MethodStats
{
    private final int methodId;
    /** Set again once for a method whose definition came after its first event (see {@link MethodSummary}). */
    private String name;
    private final Histogram histogram = new Histogram(3);
    private long calls;
    private long exceptions;
    private long totalNanos;
    private long selfNanos;
    private long minNanos = Long.MAX_VALUE;
    private long maxNanos;

    MethodStats(final int methodId, final String name)
    {
        this.methodId = methodId;
        this.name = name;
    }

    /**
     * Records one completed call. A negative duration (stamps out of order, as a nested event can
     * have) counts as 0, and self time is never below 0.
     */
    void record(final long durationNanos, final long childNanos, final boolean exceptional)
    {
        final long duration = Math.max(0, durationNanos);
        calls++;
        if (exceptional)
        {
            exceptions++;
        }
        totalNanos += duration;
        selfNanos += Math.max(0, duration - childNanos);
        minNanos = Math.min(minNanos, duration);
        maxNanos = Math.max(maxNanos, duration);
        histogram.recordValue(duration);
    }

    void rename(final String name)
    {
        this.name = name;
    }

    /** Adds the calls of {@code other}, another id of the same method. */
    void add(final MethodStats other)
    {
        calls += other.calls;
        exceptions += other.exceptions;
        totalNanos += other.totalNanos;
        selfNanos += other.selfNanos;
        minNanos = Math.min(minNanos, other.minNanos);
        maxNanos = Math.max(maxNanos, other.maxNanos);
        histogram.add(other.histogram);
    }

    /** @return the first method id seen with this name. */
    public int methodId()
    {
        return methodId;
    }

    /** @return e.g. {@code com.acme.Cart.add(java.lang.String,int)}. */
    public String name()
    {
        return name;
    }

    /** @return completed calls, by EXIT or THROW. */
    public long calls()
    {
        return calls;
    }

    /** @return calls completed by THROW. */
    public long exceptions()
    {
        return exceptions;
    }

    public long totalNanos()
    {
        return totalNanos;
    }

    /** @return total time less the time of completed direct callees. */
    public long selfNanos()
    {
        return selfNanos;
    }

    /** @return the shortest call, 0 if none completed. */
    public long minNanos()
    {
        return calls == 0 ? 0 : minNanos;
    }

    public long maxNanos()
    {
        return maxNanos;
    }

    /**
     * @return the duration at a percentile, e.g. 99.9, as HdrHistogram reports it (the highest
     *     value equivalent to the recorded one at 3 significant digits), kept within the exact
     *     min and max so that a report never shows a p50 above the max; 0 if no calls.
     */
    public long percentileNanos(final double percentile)
    {
        return calls == 0 ? 0 : Math.max(minNanos, Math.min(maxNanos, histogram.getValueAtPercentile(percentile)));
    }

    /** @return the histogram of durations in ns. */
    public Histogram histogram()
    {
        return histogram;
    }
}
