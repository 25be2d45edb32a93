package com.acme.workload;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Traced work in phases the test drives, all on the main thread: after its first call, the trace
 * gets nothing but ENTER and EXIT records (no new thread, method or class to define), so that every
 * record the trace misses is one of those events. Prints {@code ready}; then for each line {@code N}
 * on stdin calls {@link #work} N times and prints {@code done N sum=S}, S depending only on N. A line
 * {@code thread N} does the same on a new platform thread, which it waits for: a new carrier (its
 * definition goes to the trace and, with {@code buffers=mmap}, it needs a new buffer file), whose
 * lambda is traced too: 2 x N + 2 events. A line {@code start N} does the calls on a new thread that
 * then waits, alive, for a line {@code stop}, which ends it ({@code stopped}): a carrier that ends
 * when the test chooses.
 */
public final class Phases
{
    private Phases()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        work(0);
        System.out.println("ready");
        final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        CountDownLatch stop = null;
        Thread waiting = null;
        while ((line = in.readLine()) != null)
        {
            if (line.startsWith("start "))
            {
                final int calls = Integer.parseInt(line.substring("start ".length()).trim());
                final long[] sum = new long[1];
                final CountDownLatch done = new CountDownLatch(1);
                final CountDownLatch release = new CountDownLatch(1);
                waiting = new Thread(() ->
                {
                    for (int i = 0; i < calls; i++)
                    {
                        sum[0] += work(i);
                    }
                    done.countDown();
                    awaitQuietly(release);
                });
                waiting.start();
                done.await();
                stop = release;
                System.out.println("done " + calls + " sum=" + sum[0]);
                continue;
            }
            if (line.equals("stop"))
            {
                stop.countDown();
                waiting.join();
                System.out.println("stopped");
                continue;
            }
            if (line.startsWith("thread "))
            {
                final int calls = Integer.parseInt(line.substring("thread ".length()).trim());
                final long[] sum = new long[1];
                final Thread thread = new Thread(() ->
                {
                    for (int i = 0; i < calls; i++)
                    {
                        sum[0] += work(i);
                    }
                });
                thread.start();
                thread.join();
                System.out.println("done " + calls + " sum=" + sum[0]);
                continue;
            }
            final int calls = Integer.parseInt(line.trim());
            long sum = 0;
            for (int i = 0; i < calls; i++)
            {
                sum += work(i);
            }
            System.out.println("done " + calls + " sum=" + sum);
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static long work(final long i)
    {
        return i * 31 + 7;
    }

    /** @return what {@code done N} reports as its sum, computed without the traced method. */
    public static long expectedSum(final int calls)
    {
        long sum = 0;
        for (long i = 0; i < calls; i++)
        {
            sum += i * 31 + 7;
        }
        return sum;
    }
}
