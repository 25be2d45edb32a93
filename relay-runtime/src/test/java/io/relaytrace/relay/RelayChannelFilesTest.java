package io.relaytrace.relay;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import io.relaytrace.relay.format.TraceHeader;
import io.relaytrace.relay.format.TraceHeaderDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/** The channel with real files: late setup, flush, close, carrier death, the header and the close marker. */
class RelayChannelFilesTest
{
    private static final String BASE = "t.";

    @Test
    void lateSetupKeepsWhatWasWrittenBefore(@TempDir final Path tmp) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().geometry(HEADER_LENGTH + 64, 4).cpus(1).open();
        final RelayBuffer buffer = channel.buffer();
        for (int i = 0; i < 10; i++)
        {
            assertTrue(Events.write(buffer, 7, i));
        }
        final Path dir = tmp.resolve("late");
        channel.setupFiles(BASE, dir);
        final IllegalStateException twice = assertThrows(IllegalStateException.class, () -> channel.setupFiles(BASE, dir));
        assertTrue(twice.getMessage().startsWith("files already set up"), twice.getMessage());
        for (int i = 10; i < 12; i++)
        {
            assertTrue(Events.write(buffer, 7, i));
        }
        channel.close();

        final List<TraceFiles.Block> blocks = TraceFiles.blocks(dir.resolve(BASE + "0"));
        long expected = 0;
        for (final TraceFiles.Block block : blocks)
        {
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                assertEquals(expected++, Events.seq(block.content(), at));
            }
        }
        assertEquals(12, expected, "events from before the files existed start the file");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(BASE + "0"))));
    }

    @Test
    void headerAndCloseMarkerDescribeTheTrace(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(4096, 4).cpus(3)
            .property("options", "include=com.acme.**").open();
        final RelayBuffer buffer = channel.buffer();
        for (int i = 0; i < 100; i++)
        {
            Events.write(buffer, 1, i);
        }
        assertFalse(buffer.write(new byte[5000], 0, 5000));
        assertFalse(Files.exists(dir.resolve(BASE + "closed")), "no marker before close");
        channel.close();
        channel.close(); // idempotent

        final TraceHeader header = TraceHeaderDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(BASE + "header"))));
        assertEquals(4096, header.subbufSize());
        assertEquals(4, header.nSubbufs());
        assertEquals(3, header.cpus());
        assertEquals(ProcessHandle.current().pid(), header.pid());
        assertEquals("include=com.acme.**", header.properties().get("options"));
        assertEquals("discard", header.properties().get("mode"));

        final ClosedMarker marker = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(BASE + "closed"))));
        assertEquals(100, marker.events());
        assertEquals(1, marker.tooBig());
        assertEquals(0, marker.dropped());
        assertEquals(2, marker.buffers(), "the global buffer and one carrier");
        for (int slot = 0; slot < 3; slot++)
        {
            assertTrue(Files.exists(dir.resolve(BASE + slot)));
        }
    }

    @Test
    void flushFromAnotherThreadWritesCommittedDataOfBusyWriters(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(64 * 1024, 4).cpus(1)
            .flushInterval(1, TimeUnit.HOURS).open();
        final AtomicLong written = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread writer = new Thread(() ->
        {
            final RelayBuffer buffer = channel.buffer();
            long i = 0;
            while (!stop.get())
            {
                if (Events.write(buffer, 1, i))
                {
                    written.set(++i);
                }
            }
        });
        writer.start();
        while (written.get() < 1000)
        {
            Thread.onSpinWait();
        }
        final long before = written.get();
        channel.flush();
        final long inFiles = countEvents(dir);
        stop.set(true);
        writer.join();
        assertTrue(inFiles >= before, "flush returned with " + inFiles + " events in the files, " + before + " were written before it");
        channel.close();
        assertEquals(written.get(), countEvents(dir), "close writes the rest, nothing twice");
    }

    @Test
    void carrierThatEndsGoesOfflineAndItsMemoryIsReused(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(4096, 2).cpus(2).poolLimit(4).open();
        final int threads = 300;
        for (int t = 0; t < threads; t++)
        {
            final long writer = t;
            final Thread thread = new Thread(() ->
            {
                final RelayBuffer buffer = channel.buffer();
                for (int i = 0; i < 10; i++)
                {
                    Events.write(buffer, writer, i);
                }
            });
            thread.start();
            thread.join();
            if (t % 50 == 49)
            {
                awaitRetired(channel);
                assertTrue(channel.buffers().size() <= 3, "buffers online: " + channel.buffers().size());
            }
        }
        awaitRetired(channel);
        assertEquals(threads * 10L, countEvents(dir), "an offline carrier's events reach the files before close");
        channel.close();
        assertEquals(threads * 10L, countEvents(dir));
        final ClosedMarker marker = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(BASE + "closed"))));
        assertEquals(threads * 10L, marker.events());
        assertEquals(threads + 1, marker.buffers());
    }

    @Test
    void hundredThousandCyclingThreadsKeepMemoryBounded(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(HEADER_LENGTH + 64, 2).cpus(2).open();
        final int threads = 100_000;
        int maxOnline = 0;
        final Thread[] batch = new Thread[8];
        for (int t = 0; t < threads; t += batch.length)
        {
            for (int i = 0; i < batch.length; i++)
            {
                final long writer = t + i;
                batch[i] = new Thread(() -> Events.write(channel.buffer(), writer, 0));
                batch[i].start();
            }
            for (final Thread thread : batch)
            {
                thread.join();
            }
            maxOnline = Math.max(maxOnline, channel.buffers().size());
        }
        awaitRetired(channel);
        channel.close();
        assertTrue(maxOnline < 2_000, "buffers online at most " + maxOnline);
        assertEquals(threads, countEvents(dir));
        assertEquals(threads, channel.retiredBuffers());
    }

    /**
     * A burst of 40 threads, all online at once, ends: their 40 buffers go to the pool (limit 64),
     * and since no carrier needs them afterwards the flusher's trims give them up, down to the
     * floor of one buffer per CPU slot, instead of holding the burst's memory for good. The next
     * carrier still gets a pooled buffer.
     */
    @Test
    void poolGivesUpTheMemoryOfABurstOfEndedThreads(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(HEADER_LENGTH + 64, 2).cpus(2).open();
        assertEquals(2, channel.pooledBuffers(), "filled at open: one buffer per CPU slot");
        final int threads = 40;
        final CountDownLatch online = new CountDownLatch(threads);
        final CountDownLatch end = new CountDownLatch(1);
        final List<Thread> burst = new ArrayList<>();
        for (int i = 0; i < threads; i++)
        {
            final long writer = i;
            final Thread thread = new Thread(() ->
            {
                Events.write(channel.buffer(), writer, 0);
                online.countDown();
                awaitQuietly(end);
            });
            burst.add(thread);
            thread.start();
        }
        online.await();
        assertEquals(threads + 1, channel.buffers().size(), "every thread online at once, and the global buffer");
        assertEquals(0, channel.pooledBuffers(), "the two pooled buffers served the first two");
        end.countDown();
        for (final Thread thread : burst)
        {
            thread.join();
        }
        awaitRetired(channel);
        final int pooledAfterRetire = channel.pooledBuffers();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (channel.pooledBuffers() > 2 && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        final int trimmed = channel.pooledBuffers();
        final int retired = channel.retiredBuffers();
        final int[] pooledAfterNext = new int[1];
        final Thread next = new Thread(() ->
        {
            Events.write(channel.buffer(), threads, 0);
            pooledAfterNext[0] = channel.pooledBuffers(); // while it lives: once it ended, its buffer goes back
        });
        next.start();
        next.join();
        channel.close();

        assertEquals(threads, retired);
        assertEquals(2, trimmed, "trimmed to one buffer per CPU slot, from " + pooledAfterRetire + " after the burst retired");
        assertEquals(1, pooledAfterNext[0], "the next carrier took a pooled buffer");
        assertEquals(threads + 1, countEvents(dir));
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

    @Test
    void periodicFlushBringsAnIdleCarriersEventsToTheFilesOnce(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(64 * 1024, 4).cpus(1)
            .flushInterval(20, TimeUnit.MILLISECONDS).open();
        final RelayBuffer buffer = channel.buffer();
        for (int i = 0; i < 10; i++)
        {
            Events.write(buffer, 1, i);
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (countEvents(dir) < 10 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(10, countEvents(dir), "idle carrier's partial sub-buffer reached the file");
        Thread.sleep(100); // several more periodic flushes with nothing new
        assertEquals(10, countEvents(dir), "and only once");
        for (int i = 10; i < 15; i++)
        {
            Events.write(buffer, 1, i);
        }
        channel.close();
        long expected = 0;
        for (final TraceFiles.Block block : TraceFiles.blocks(dir.resolve(BASE + "0")))
        {
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                assertEquals(expected++, Events.seq(block.content(), at), "in order, nothing twice");
            }
        }
        assertEquals(15, expected);
    }

    @Test
    void closeWhileWritingLosesNothingUncounted(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(16 * 1024, 8).cpus(2).open();
        final AtomicLong[] attempts = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
        final Thread[] writers = new Thread[attempts.length];
        final AtomicBoolean stop = new AtomicBoolean();
        for (int w = 0; w < writers.length; w++)
        {
            final int writer = w;
            writers[w] = new Thread(() ->
            {
                long i = 0;
                while (!stop.get())
                {
                    final RelayBuffer buffer = channel.buffer();
                    if (buffer != null)
                    {
                        Events.write(buffer, writer, i);
                    }
                    attempts[writer].set(++i);
                }
            });
            writers[w].start();
        }
        Thread.sleep(50);
        channel.close();
        Thread.sleep(20);
        stop.set(true);
        long attempted = 0;
        for (int w = 0; w < writers.length; w++)
        {
            writers[w].join();
            attempted += attempts[w].get();
        }
        long committed = 0, dropped = 0;
        for (final RelayStats s : channel.stats())
        {
            committed += s.events();
            dropped += s.dropped();
        }
        assertEquals(attempted, committed + dropped + channel.unattributed(), "every attempt counted");
        final ClosedMarker marker = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(BASE + "closed"))));
        assertEquals(marker.events(), countEvents(dir) + lostEvents(dir), "what the marker counts is in the files or counted lost");
    }

    private static void awaitRetired(final RelayChannel channel) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (channel.buffers().size() > 1 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
    }

    private static long countEvents(final Path dir) throws Exception
    {
        long events = 0;
        for (final TraceFiles.Block block : TraceFiles.allBlocks(dir, BASE, cpusOf(dir)))
        {
            events += block.content().limit() / Events.LENGTH;
        }
        return events;
    }

    /** Committed per FINAL blocks minus what the files hold. */
    private static long lostEvents(final Path dir) throws Exception
    {
        long committed = 0;
        for (final TraceFiles.Block block : TraceFiles.allBlocks(dir, BASE, cpusOf(dir)))
        {
            if (block.isFinal())
            {
                committed += block.eventsBefore();
            }
        }
        return committed - countEvents(dir);
    }

    private static int cpusOf(final Path dir) throws Exception
    {
        return TraceHeaderDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(BASE + "header")))).cpus();
    }
}
