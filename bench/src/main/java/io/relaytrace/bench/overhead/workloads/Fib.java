package io.relaytrace.bench.overhead.workloads;

/**
 * The {@code fib} workload: naive recursive Fibonacci, deep and short calls on one thread.
 * <p>
 * Usage: {@code java io.relaytrace.bench.overhead.workloads.Fib [n]} (default 32: 7,049,155 calls).
 * Prints {@code workload=fib calls=N loopNanos=T checksum=fib(n)}; {@code N} is counted by the
 * caller-free formula {@code 2 fib(n+1) - 1}, so counting adds nothing to the traced method.
 */
public final class Fib
{
    private Fib()
    {
    }

    public static void main(final String[] args)
    {
        final int n = WorkloadArgs.intArg(args, 0, 32, "n");
        if (n > 45)
        {
            throw new IllegalArgumentException("n=" + n + " is too large; accepted: 0..45");
        }
        final long start = System.nanoTime();
        final int result = fib(n);
        final long loopNanos = System.nanoTime() - start;
        WorkloadArgs.report("fib", callsOf(n), loopNanos, result);
    }

    /** The traced method. */
    static int fib(final int n)
    {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    /** Calls {@code fib(n)} makes, itself included: {@code c(n) = 1 + c(n-1) + c(n-2)}, {@code c(0) = c(1) = 1}. */
    static long callsOf(final int n)
    {
        long previous = 1;
        long current = 1;
        for (int i = 2; i <= n; i++)
        {
            final long next = 1 + current + previous;
            previous = current;
            current = next;
        }
        return current;
    }
}
