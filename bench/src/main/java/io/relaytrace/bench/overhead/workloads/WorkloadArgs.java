package io.relaytrace.bench.overhead.workloads;

/** Argument parsing and the one-line report every workload prints, in one place. */
final class WorkloadArgs
{
    private WorkloadArgs()
    {
    }

    /** @return {@code args[index]} as a positive int, or {@code fallback} when absent. */
    static int intArg(final String[] args, final int index, final int fallback, final String name)
    {
        if (args.length <= index)
        {
            return fallback;
        }
        final int value;
        try
        {
            value = Integer.parseInt(args[index]);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + "=" + args[index] + " is not a number; accepted: a positive int");
        }
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + "=" + value + " is not positive; accepted: a positive int");
        }
        return value;
    }

    static void report(final String workload, final long calls, final long loopNanos, final long checksum)
    {
        System.out.println("workload=" + workload + " calls=" + calls + " loopNanos=" + loopNanos + " checksum=" + checksum);
    }
}
