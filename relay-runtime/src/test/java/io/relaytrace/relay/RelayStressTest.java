package io.relaytrace.relay;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Platform and virtual threads writing at full speed through real files: every event attempted is
 * read back, or counted (dropped, lost, unattributed), to the event; each writer's events come back
 * in order in every buffer, and none twice.
 */
class RelayStressTest
{
    private static final String BASE = "t.";

    /** Geometry 0 x 0: random and small, so buffers fill and lap; otherwise large enough to hold everything. */
    @ParameterizedTest(name = "{0} platform={1} virtual={2} seed={3} geometry={4}x{5}")
    @CsvSource({
        "DISCARD, 4, 0, 1, 0, 0",
        "DISCARD, 2, 10000, 2, 0, 0",
        "OVERWRITE, 4, 0, 3, 0, 0",
        "OVERWRITE, 2, 10000, 4, 0, 0",
        "DISCARD, 2, 10000, 5, 65536, 512",
    })
    void everyEventIsReadOrCounted(final RelayMode mode, final int platform, final int virtual, final long seed,
                                   final int fixedSubbufSize, final int fixedSubbufs, @TempDir final Path dir)
        throws Exception
    {
        final Random random = new Random(seed);
        final int subbufSize = fixedSubbufSize > 0 ? fixedSubbufSize : 128 + 16 * random.nextInt(200);
        final int nSubbufs = fixedSubbufs > 0 ? fixedSubbufs : 1 + random.nextInt(8);
        final int cpus = 1 + random.nextInt(3);
        final RelayChannel channel = RelayChannel.builder().files(BASE, dir).geometry(subbufSize, nSubbufs)
            .mode(mode).cpus(cpus).open();

        final int perPlatform = 200_000;
        final int perVirtual = 200;
        final List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < platform; w++)
        {
            final long writer = w;
            threads.add(Thread.ofPlatform().unstarted(() -> writeAll(channel, writer, perPlatform, 0)));
        }
        for (int w = 0; w < virtual; w++)
        {
            final long writer = platform + w;
            threads.add(Thread.ofVirtual().unstarted(() -> writeAll(channel, writer, perVirtual, 16)));
        }
        threads.forEach(Thread::start);
        for (final Thread t : threads)
        {
            t.join();
        }
        final long attempted = (long)platform * perPlatform + (long)virtual * perVirtual;
        channel.close();

        final Map<Integer, long[]> perBuffer = new HashMap<>(); // id -> {read, committed, dropped, tooBig, lostSubbufs}
        final Map<Long, Long> lastSeq = new HashMap<>();
        final Map<Long, Long> readPerWriter = new HashMap<>();
        int currentBuffer = -1;
        for (final TraceFiles.Block block : TraceFiles.allBlocks(dir, BASE, cpus))
        {
            final long[] counts = perBuffer.computeIfAbsent(block.bufferId(), k -> new long[5]);
            if (block.isFinal())
            {
                counts[1] = block.eventsBefore();
                counts[2] = block.dropped();
                counts[3] = block.tooBig();
                counts[4] = block.lost();
                continue;
            }
            if (block.bufferId() != currentBuffer)
            {
                currentBuffer = block.bufferId();
                lastSeq.clear(); // order is checked within each buffer
            }
            assertEquals(0, block.content().limit() % Events.LENGTH);
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                final long writer = Events.writer(block.content(), at);
                final long seq = Events.seq(block.content(), at);
                final Long last = lastSeq.put(writer, seq);
                assertTrue(last == null || seq > last, "writer " + writer + " seq " + seq + " after " + last);
                readPerWriter.merge(writer, 1L, Long::sum);
                counts[0]++;
            }
        }

        long read = 0, committed = 0, dropped = 0, lostEvents = 0;
        for (final Map.Entry<Integer, long[]> e : perBuffer.entrySet())
        {
            final long[] c = e.getValue();
            read += c[0];
            committed += c[1];
            dropped += c[2];
            lostEvents += c[1] - c[0];
            assertEquals(0, c[3], "no event is too big");
            if (mode == RelayMode.DISCARD)
            {
                assertEquals(c[1], c[0], "discard mode loses nothing it committed, buffer " + e.getKey());
                assertEquals(0, c[4]);
            }
            else
            {
                assertEquals(c[1] != c[0], c[4] > 0, "overwrite: events lost exactly when sub-buffers were lapped");
            }
        }
        assertEquals(0, channel.unattributed(), "virtual threads reach their carriers");
        assertEquals(attempted, committed + dropped, "every attempt committed or dropped");
        assertEquals(committed, read + lostEvents);
        for (final Map.Entry<Long, Long> e : readPerWriter.entrySet())
        {
            assertTrue(e.getValue() <= (e.getKey() < platform ? perPlatform : perVirtual), "no duplicates");
        }
        if (fixedSubbufSize > 0)
        {
            assertEquals(attempted, read, "buffers that hold every event lose none");
        }
    }

    private static void writeAll(final RelayChannel channel, final long writer, final int count, final int parkEvery)
    {
        for (int i = 0; i < count; i++)
        {
            final RelayBuffer buffer = channel.buffer();
            if (buffer != null)
            {
                Events.write(buffer, writer, i);
            }
            if (parkEvery > 0 && i % parkEvery == parkEvery - 1)
            {
                LockSupport.parkNanos(10_000);
            }
        }
    }
}
