package io.relaytrace.bench.overhead;

/**
 * What one child JVM did and cost.
 *
 * @param exitCode  the child's exit status.
 * @param wallNanos from just before the process was started until its exit was seen.
 * @param cpuNanos  user + system CPU time of the child and its threads, as the kernel accounted it
 *                  at its exit (bash's {@code times} for its waited-for child), so nothing after
 *                  the last sample is missed.
 * @param peakRssKiB the child's {@code VmHWM} (peak resident set) from {@code /proc}, read every
 *                  few milliseconds while it ran: a lower bound that misses only growth in its
 *                  final milliseconds.
 * @param stdout    what the child printed on standard output.
 * @param stderr    what the child printed on standard error.
 */
record ChildResult(int exitCode, long wallNanos, long cpuNanos, long peakRssKiB, String stdout, String stderr)
{
    /** @return the value of {@code key=value} in the child's standard output, or -1 when absent. */
    long stdoutLong(final String key)
    {
        return KeyValues.longValue(stdout, key);
    }
}
