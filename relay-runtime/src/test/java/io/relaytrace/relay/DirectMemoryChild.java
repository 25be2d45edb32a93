package io.relaytrace.relay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM for {@link DirectMemoryTest}, run with a small {@code -XX:MaxDirectMemorySize}: 20
 * threads, each alive until released, write 100 events each through {@link RelayChannel#write};
 * then the first thread ends, and once its buffer is retired a 21st thread writes 100 events.
 * Prints {@code phase1 written=W unattributed=U}, {@code phase2 written=W unattributed=U}.
 * Args: trace directory.
 */
public final class DirectMemoryChild
{
    static final int THREADS = 20;
    static final int EVENTS = 100;

    public static void main(final String[] args) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files("t.", Path.of(args[0])).geometry(64 * 1024, 4).cpus(1)
            .flushInterval(1, TimeUnit.HOURS).open();
        final CountDownLatch[] release = new CountDownLatch[THREADS + 1];
        final long[] written = new long[THREADS + 1];
        final List<Thread> threads = new ArrayList<>();
        // One at a time, each done before the next starts, all staying alive.
        for (int t = 0; t < THREADS; t++)
        {
            threads.add(writer(channel, t, release, written));
        }
        System.out.println("phase1 written=" + sum(written) + " unattributed=" + channel.unattributed());
        release[0].countDown();
        threads.get(0).join();
        while (channel.retiredBuffers() < 1)
        {
            Thread.sleep(10);
        }
        final Thread last = writer(channel, THREADS, release, written);
        System.out.println("phase2 written=" + sum(written) + " unattributed=" + channel.unattributed());
        for (final CountDownLatch latch : release)
        {
            latch.countDown();
        }
        last.join();
        channel.close();
    }

    /** Starts a thread that writes {@link #EVENTS} events and then waits for its release; returns once it wrote. */
    private static Thread writer(final RelayChannel channel, final int index, final CountDownLatch[] release, final long[] written)
        throws InterruptedException
    {
        release[index] = new CountDownLatch(1);
        written[index] = -1;
        final CountDownLatch done = new CountDownLatch(1);
        final Thread thread = new Thread(() ->
        {
            final byte[] event = new byte[Events.LENGTH];
            long n = 0;
            for (int i = 0; i < EVENTS; i++)
            {
                if (channel.write(event, 0, event.length))
                {
                    n++;
                }
            }
            written[index] = n;
            done.countDown();
            try
            {
                release[index].await();
            }
            catch (final InterruptedException ignore)
            {
                // end
            }
        }, "writer-" + index);
        thread.start();
        done.await();
        return thread;
    }

    private static long sum(final long[] written)
    {
        long sum = 0;
        for (final long n : written)
        {
            sum += Math.max(0, n);
        }
        return sum;
    }
}
