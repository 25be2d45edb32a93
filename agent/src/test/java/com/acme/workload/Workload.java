package com.acme.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A traced application with exactly known call counts, for the agent's child-JVM tests. Every
 * count below is a constant that the tests assert against the trace. Prints one line whose text
 * does not depend on tracing, so a test can check that the agent changed nothing.
 * <p>
 * Arguments: none, or {@code sleep MILLIS} to idle first (for attach tests: calls made while
 * sleeping are not counted, calls after are).
 */
public final class Workload
{
    public static final int RECURSION_DEPTH = 100;
    public static final int THROWS = 10;
    public static final int ITEMS = 50;
    public static final int POOL_THREADS = 4;
    public static final int POOL_TASKS = 1000;
    public static final int VIRTUAL_THREADS = 2000;
    public static final int VIRTUAL_STEPS = 3;

    private Workload()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length == 2 && "sleep".equals(args[0]))
        {
            System.out.println("workload ready");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]));
        }
        long checksum = Recursion.depth(RECURSION_DEPTH);

        int caught = 0;
        for (int i = 0; i < THROWS; i++)
        {
            try
            {
                Thrower.level1(i);
            }
            catch (final WorkloadException ex)
            {
                caught++;
            }
        }
        checksum += caught;

        final List<Item> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++)
        {
            items.add(new Item(i));
        }
        for (final Item item : items)
        {
            checksum += item.value();
        }

        final Counter counter = new Counter();
        final ExecutorService pool = Executors.newFixedThreadPool(POOL_THREADS);
        final List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < POOL_TASKS; i++)
        {
            futures.add(pool.submit(counter::increment));
        }
        for (final Future<?> future : futures)
        {
            future.get();
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        checksum += counter.count();

        if (Runtime.version().feature() >= 21)
        {
            checksum += VirtualWork.run(VIRTUAL_THREADS, VIRTUAL_STEPS);
        }
        System.out.println("workload done checksum=" + checksum);
    }
}
