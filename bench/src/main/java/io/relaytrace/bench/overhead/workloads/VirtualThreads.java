package io.relaytrace.bench.overhead.workloads;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code vt} workload: many virtual threads, each calling a trivial method in a loop and
 * yielding its carrier every {@code yieldEvery} calls (at its first call, then every
 * {@code yieldEvery} calls), so virtual threads migrate between carriers while they trace.
 * <p>
 * Usage: {@code java io.relaytrace.bench.overhead.workloads.VirtualThreads [threads] [callsPerThread] [yieldEvery]}
 * (defaults 10,000, 1,000 and 1,024: each thread yields once, at its first call). Prints
 * {@code workload=vt calls=N loopNanos=T checksum=S}, the loop time running from the first start
 * to the last join.
 */
public final class VirtualThreads
{
    private VirtualThreads()
    {
    }

    public static void main(final String[] args) throws InterruptedException
    {
        final int threads = WorkloadArgs.intArg(args, 0, 10_000, "threads");
        final int callsPerThread = WorkloadArgs.intArg(args, 1, 1_000, "callsPerThread");
        final int yieldEvery = WorkloadArgs.intArg(args, 2, 1_024, "yieldEvery");
        final AtomicLong checksum = new AtomicLong();
        final Thread[] started = new Thread[threads];

        final long start = System.nanoTime();
        for (int t = 0; t < threads; t++)
        {
            started[t] = Thread.ofVirtual().start(() -> checksum.addAndGet(loop(callsPerThread, yieldEvery)));
        }
        for (final Thread thread : started)
        {
            thread.join();
        }
        final long loopNanos = System.nanoTime() - start;
        WorkloadArgs.report("vt", (long)threads * callsPerThread, loopNanos, checksum.get());
    }

    private static long loop(final int calls, final int yieldEvery)
    {
        long sum = 0;
        for (int i = 0; i < calls; i++)
        {
            if (i % yieldEvery == 0)
            {
                Thread.yield();
            }
            sum += call(i);
        }
        return sum;
    }

    /** The traced method. */
    static int call(final int i)
    {
        return i ^ 0x5bd1e995;
    }
}
