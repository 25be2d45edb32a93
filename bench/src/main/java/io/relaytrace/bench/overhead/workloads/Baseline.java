package io.relaytrace.bench.overhead.workloads;

/**
 * The {@code baseline} workload: {@link Hot}'s loop with two {@link System#nanoTime()} calls per
 * call, never traced. A tracer that stamps entry and exit with the clock cannot cost less than
 * this, so {@code (baseline - hot) / calls} is the floor any timing tracer is measured against.
 * <p>
 * Usage: {@code java io.relaytrace.bench.overhead.workloads.Baseline [calls]} (default 50,000,000).
 * Prints {@code workload=baseline calls=N loopNanos=T checksum=S} as {@link Hot} does.
 */
public final class Baseline
{
    private Baseline()
    {
    }

    public static void main(final String[] args)
    {
        final int calls = WorkloadArgs.intArg(args, 0, 50_000_000, "calls");
        final long start = System.nanoTime();
        long checksum = 0;
        for (int i = 0; i < calls; i++)
        {
            // Both stamps feed the checksum, so neither can be dropped as dead code.
            final long entered = System.nanoTime();
            final int result = Hot.call(i);
            final long exited = System.nanoTime();
            checksum += result + (exited - entered);
        }
        final long loopNanos = System.nanoTime() - start;
        WorkloadArgs.report("baseline", calls, loopNanos, checksum);
    }
}
