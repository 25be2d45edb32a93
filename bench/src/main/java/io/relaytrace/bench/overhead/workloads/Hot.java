package io.relaytrace.bench.overhead.workloads;

/**
 * The {@code hot} workload: a trivial static method called many times from one platform thread, the
 * worst case for a tracer (its whole cost shows against a call that costs almost nothing).
 * <p>
 * Usage: {@code java io.relaytrace.bench.overhead.workloads.Hot [calls]} (default 50,000,000).
 * Prints one line, {@code workload=hot calls=N loopNanos=T checksum=S}: {@code N} calls of
 * {@link #call(int)} were made, taking {@code T} ns of wall time inside the loop (JVM start and
 * a tracer's shutdown excluded). The checksum keeps the JIT from removing the calls.
 */
public final class Hot
{
    private Hot()
    {
    }

    public static void main(final String[] args)
    {
        final int calls = WorkloadArgs.intArg(args, 0, 50_000_000, "calls");
        final long start = System.nanoTime();
        long checksum = 0;
        for (int i = 0; i < calls; i++)
        {
            checksum += call(i);
        }
        final long loopNanos = System.nanoTime() - start;
        WorkloadArgs.report("hot", calls, loopNanos, checksum);
    }

    /** The traced method: as cheap as a call can be. */
    static int call(final int i)
    {
        return i ^ 0x5bd1e995;
    }
}
