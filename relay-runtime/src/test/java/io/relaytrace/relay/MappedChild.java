package io.relaytrace.relay;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM for the kill -9 test: writes a known number of events into mapped buffers from three
 * threads, none of which ever ends, prints how many it committed, and waits to be killed.
 * Args: trace directory, events per thread.
 */
public final class MappedChild
{
    public static void main(final String[] args) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files("t.", Path.of(args[0])).geometry(4096, 8)
            .mapped(true).mode(RelayMode.OVERWRITE).cpus(2).flushInterval(1, java.util.concurrent.TimeUnit.HOURS).open();
        final int perThread = Integer.parseInt(args[1]);
        final CountDownLatch written = new CountDownLatch(3);
        for (int t = 0; t < 3; t++)
        {
            final long writer = t;
            final Thread thread = new Thread(() ->
            {
                final RelayBuffer buffer = channel.buffer();
                for (int i = 0; i < perThread; i++)
                {
                    Events.write(buffer, writer, i);
                }
                written.countDown();
                while (true)
                {
                    try
                    {
                        Thread.sleep(60_000);
                    }
                    catch (final InterruptedException ignore)
                    {
                        // wait to be killed
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        written.await();
        long committed = 0;
        for (final RelayStats s : channel.stats())
        {
            committed += s.events();
        }
        System.out.println("committed " + committed);
        System.out.flush();
        Thread.sleep(600_000);
    }
}
