package io.relaytrace.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Global records from many threads at once, staged without waiting and moved into the global
 * buffer by its single writer (the flusher, or close): records that must be kept all arrive, in
 * each writer's order, even through a stalled flusher and a global buffer too small for them;
 * droppable ones beyond the staging bound are refused and counted exactly in the trace (the global
 * buffer's dropped, in its final block); nothing staged is lost at close.
 */
class GlobalStagingTest
{
    private static final String BASE = "t.";
    /** A record: writer, sequence, kind (0 must keep, 1 droppable), filler. */
    private static final int RECORD = 32;
    private static final long KEEP = 0;
    private static final long DROPPABLE = 1;

    @Test
    @Timeout(120)
    void mustKeepRecordsAllArriveThroughAStalledFlusherAndDroppableOnesBeyondTheBoundAreCounted(@TempDir final Path dir)
        throws Exception
    {
        final int bound = 100;
        // 64 KiB sub-buffers: the global buffer gets 64 of them (its 4 MiB least), less than the
        // 6 MiB of records that must be kept, so the mover has to write it out to make room.
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(64 * 1024, 2).cpus(1)
            .droppableStagingBytes(bound * RECORD).open();
        final int writers = 8;
        final int keepEach = 24_000;
        final int dropEach = 50;
        final AtomicLong droppableStaged = new AtomicLong();
        final AtomicLong droppableRefused = new AtomicLong();
        final AtomicInteger keepRefused = new AtomicInteger();
        channel.drainLock().lock(); // the flusher stalls, as on a slow disk
        try
        {
            runWriters(writers, w ->
            {
                final byte[] record = new byte[RECORD];
                for (int i = 0; i < keepEach; i++)
                {
                    if (!channel.writeGlobal(fill(record, w, i, KEEP), 0, RECORD))
                    {
                        keepRefused.incrementAndGet();
                    }
                    if (i < dropEach)
                    {
                        (channel.offerGlobal(fill(record, w, i, DROPPABLE), 0, RECORD) ? droppableStaged : droppableRefused)
                            .incrementAndGet();
                    }
                }
            });
        }
        finally
        {
            channel.drainLock().unlock();
        }
        assertEquals(0, keepRefused.get(), "records that must be kept are never refused");
        assertEquals(bound, droppableStaged.get(), "droppable records staged up to the bound, exactly");
        assertEquals((long)writers * dropEach - bound, droppableRefused.get());
        channel.close();

        final GlobalFile global = GlobalFile.read(dir);
        for (int w = 0; w < writers; w++)
        {
            assertEquals(keepEach, global.keep.getOrDefault((long)w, List.of()).size(), "writer " + w);
            for (int i = 0; i < keepEach; i++)
            {
                assertEquals(i, global.keep.get((long)w).get(i), "writer " + w + ": in order, each once");
            }
        }
        assertEquals(bound, global.droppable, "every droppable record staged was moved");
        assertEquals(droppableRefused.get(), global.dropped, "the trace counts the refused ones: the global buffer's dropped");
        assertEquals(droppableRefused.get(), channel.totals().dropped());
        assertEquals((long)writers * keepEach + bound, global.committed, "the final block's events: every record moved");
    }

    @Test
    @Timeout(120)
    void recordsStagedWhileTheChannelClosesAreInTheFilesOrRefused(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(64 * 1024, 2).cpus(1).open();
        final int writers = 8;
        final AtomicLongArray progress = new AtomicLongArray(writers);
        final List<Thread> threads = new ArrayList<>();
        // Per writer, the sequence numbers of its records that staging accepted.
        final BitSet[] accepted = new BitSet[writers];
        final long[] keepRefused = new long[writers];
        for (int w = 0; w < writers; w++)
        {
            final int writer = w;
            accepted[w] = new BitSet();
            threads.add(Thread.ofPlatform().start(() ->
            {
                final byte[] record = new byte[RECORD];
                long refused = 0;
                // Records that must be kept are refused only once the channel is closed: go on
                // until a run of them shows the close passed.
                for (int i = 0; refused < 1000; i++)
                {
                    final boolean droppable = i % 4 == 3;
                    final byte[] filled = fill(record, writer, i, droppable ? DROPPABLE : KEEP);
                    if (droppable ? channel.offerGlobal(filled, 0, RECORD) : channel.writeGlobal(filled, 0, RECORD))
                    {
                        accepted[writer].set(i);
                        progress.lazySet(writer, i);
                    }
                    else if (!droppable)
                    {
                        refused++;
                    }
                }
                keepRefused[writer] = refused;
            }));
        }
        // Close once every writer staged a thousand records (the flusher moved many meanwhile).
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int w = 0; w < writers; w++)
        {
            while (progress.get(w) < 1000 && System.nanoTime() < deadline)
            {
                Thread.sleep(1);
            }
        }
        channel.close();
        for (final Thread thread : threads)
        {
            thread.join();
        }

        final GlobalFile global = GlobalFile.read(dir);
        long inFiles = 0;
        for (int w = 0; w < writers; w++)
        {
            final List<Long> all = global.all.getOrDefault((long)w, List.of());
            final BitSet read = new BitSet();
            long last = -1;
            for (final long seq : all)
            {
                assertTrue(seq > last, "writer " + w + ": in order, each once: " + seq + " after " + last);
                read.set((int)seq);
                last = seq;
            }
            assertEquals(accepted[w], read, "writer " + w + ": every record accepted is in the files, none refused is");
            assertTrue(global.keep.getOrDefault((long)w, List.of()).size() > 0 && keepRefused[w] == 1000,
                "writer " + w + " wrote before and after the close");
            inFiles += all.size();
        }
        assertEquals(inFiles, global.committed);
    }

    @Test
    @Timeout(60)
    void aFlightRecorderMovesStagedRecordsAtEveryPoll() throws Exception
    {
        try (RelayChannel channel = RelayChannel.builder().geometry(64 * 1024, 2).cpus(1).mode(RelayMode.FLIGHT_RECORDER).open())
        {
            final byte[] record = fill(new byte[RECORD], 7, 0, KEEP);
            assertTrue(channel.writeGlobal(record, 0, RECORD));
            // No flush, no dump: the flusher moves it in at a poll, though it writes nothing out.
            final RelayReader reader = new RelayReader(channel.globalBuffer());
            final ByteBuffer dst = ByteBuffer.allocate(RECORD);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (dst.position() < RECORD && System.nanoTime() < deadline)
            {
                reader.read(dst);
                Thread.sleep(1);
            }
            assertEquals(RECORD, dst.position(), "moved within the deadline");
            assertEquals(ByteBuffer.wrap(record), dst.flip());
        }
    }

    @Test
    void aRecordTooBigForTheGlobalBufferIsRefusedAndCounted() throws Exception
    {
        try (RelayChannel channel = RelayChannel.builder().geometry(RelayChannel.MIN_SUBBUF_SIZE, 2).cpus(1).open())
        {
            final byte[] big = new byte[channel.globalBuffer().maxLength() + 8];
            assertFalse(channel.writeGlobal(big, 0, big.length));
            assertFalse(channel.offerGlobal(big, 0, big.length));
            assertTrue(channel.writeGlobal(big, 0, channel.globalBuffer().maxLength()), "the longest that fits");
            channel.moveStagedGlobal();
            assertEquals(2, channel.globalBuffer().stats().tooBig());
            assertEquals(1, channel.globalBuffer().stats().events());
            final IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> channel.writeGlobal(big, 0, 0));
            assertEquals("length=0 must be > 0", empty.getMessage());
        }
    }

    private static byte[] fill(final byte[] record, final long writer, final long seq, final long kind)
    {
        final ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, writer).putLong(8, seq).putLong(16, kind).putLong(24, 0x5a5a5a5a5a5a5a5aL);
        return record;
    }

    private interface Writer
    {
        void run(int writer) throws Exception;
    }

    private static void runWriters(final int writers, final Writer body) throws Exception
    {
        final CyclicBarrier start = new CyclicBarrier(writers);
        final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++)
        {
            final int writer = w;
            // Half virtual: staging must not pin or park a virtual thread either.
            threads.add((w % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual()).start(() ->
            {
                try
                {
                    start.await();
                    body.run(writer);
                }
                catch (final Throwable ex)
                {
                    failures.add(ex);
                }
            }));
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(List.of(), failures);
    }

    /** The records of {@code trace.global}, by writer, and its final block's counters. */
    private static final class GlobalFile
    {
        final Map<Long, List<Long>> keep = new HashMap<>();
        final Map<Long, List<Long>> all = new HashMap<>();
        long droppable;
        long dropped = -1;
        long committed = -1;

        static GlobalFile read(final Path dir) throws Exception
        {
            final GlobalFile file = new GlobalFile();
            for (final TraceFiles.Block block : TraceFiles.blocks(dir.resolve(BASE + "global")))
            {
                if (block.isFinal())
                {
                    file.dropped = block.dropped();
                    file.committed = block.eventsBefore();
                    continue;
                }
                final ByteBuffer content = block.content();
                assertEquals(0, content.limit() % RECORD);
                for (int at = 0; at < content.limit(); at += RECORD)
                {
                    final long writer = content.getLong(at);
                    final long seq = content.getLong(at + 8);
                    assertEquals(0x5a5a5a5a5a5a5a5aL, content.getLong(at + 24), "a whole record at " + at);
                    file.all.computeIfAbsent(writer, k -> new ArrayList<>()).add(seq);
                    if (content.getLong(at + 16) == KEEP)
                    {
                        file.keep.computeIfAbsent(writer, k -> new ArrayList<>()).add(seq);
                    }
                    else
                    {
                        file.droppable++;
                    }
                }
            }
            assertTrue(file.committed >= 0, "the global buffer ends with a final block");
            return file;
        }
    }
}
