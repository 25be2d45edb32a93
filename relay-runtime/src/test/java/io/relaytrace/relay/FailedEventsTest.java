package io.relaytrace.relay;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Events a client failed to record, counted on the channel from many threads at once while others
 * write: every count reaches the close marker, none twice, apart from the events committed.
 */
class FailedEventsTest
{
    private static final int COUNTERS = 4;
    private static final int WRITERS = 2;
    private static final int PER_THREAD = 50_000;

    @Test
    void failedEventsCountedFromManyThreadsAreAllInTheCloseMarker(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files("t.", dir).geometry(64 * 1024, 8).cpus(2).open();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < COUNTERS + WRITERS; i++)
        {
            final boolean counts = i < COUNTERS;
            final Thread thread = new Thread(() ->
            {
                awaitQuietly(start);
                for (int n = 0; n < PER_THREAD; n++)
                {
                    if (counts)
                    {
                        channel.countFailedEvents(1);
                    }
                    else
                    {
                        Events.write(channel.buffer(), 1, n);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals((long)COUNTERS * PER_THREAD, channel.failedEvents());
        channel.countFailedEvents(0);
        channel.countFailedEvents(3);
        channel.close();

        final ClosedMarker marker = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve("t.closed"))));
        assertEquals((long)COUNTERS * PER_THREAD + 3, marker.failed());
        assertEquals((long)WRITERS * PER_THREAD, marker.events() + marker.dropped(), "the writers' events, apart");
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
}
