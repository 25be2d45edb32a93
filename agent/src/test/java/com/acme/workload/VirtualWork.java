package com.acme.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual threads (JDK 21+) that park between traced calls, so they unmount and remount, often on
 * another carrier: {@code threads * steps} calls of {@link #step}.
 */
final class VirtualWork
{
    private VirtualWork()
    {
    }

    static long run(final int threads, final int steps) throws InterruptedException
    {
        final AtomicLong sum = new AtomicLong();
        final List<Thread> started = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++)
        {
            final int id = t;
            started.add(Thread.ofVirtual().start(() ->
            {
                for (int s = 0; s < steps; s++)
                {
                    sum.addAndGet(step(id, s));
                    try
                    {
                        Thread.sleep(1);
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }));
        }
        for (final Thread thread : started)
        {
            thread.join();
        }
        return sum.get();
    }

    static long step(final int thread, final int step)
    {
        return thread + step;
    }
}
