package io.relaytrace.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Flight recorder: nothing written until a dump or close; then the newest sub-buffers of every
 * buffer. The buffers of carriers that ended are kept for the next dump, up to {@code keepEnded}; those
 * that ended first are retired unread and their events counted lost, so memory does not grow with
 * every thread.
 */
class FlightRecorderTest
{
    @Test
    void writesNothingUntilDumpThenTheLastSubbuffers(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files("t.", dir).geometry(HEADER_LENGTH + 64, 4)
            .mode(RelayMode.FLIGHT_RECORDER).cpus(1).flushInterval(1, TimeUnit.MILLISECONDS).open();
        final RelayBuffer buffer = channel.buffer();
        for (int i = 0; i < 100; i++)
        {
            assertTrue(Events.write(buffer, 1, i), "a flight recorder never drops");
        }
        channel.flush();
        Thread.sleep(20);
        assertEquals(0, Files.size(dir.resolve("t.0")), "nothing written before a dump");

        channel.dump();
        final List<TraceFiles.Block> blocks = TraceFiles.blocks(dir.resolve("t.0"));
        // 100 events of 4 per sub-buffer, plus flush's switch: produced 25, entered 25 (empty);
        // the oldest intact is 25 - 4 + 1 = 22: sub-buffers 22, 23, 24 hold events 88..99.
        long expected = 88;
        for (final TraceFiles.Block block : blocks)
        {
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                assertEquals(expected++, Events.seq(block.content(), at));
            }
        }
        assertEquals(100, expected);
        assertEquals(22, buffer.stats().lostSubbufs(), "the older sub-buffers were overwritten, and counted");

        for (int i = 100; i < 104; i++)
        {
            Events.write(buffer, 1, i);
        }
        channel.close();
        long last = -1;
        for (final TraceFiles.Block block : TraceFiles.blocks(dir.resolve("t.0")))
        {
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                last = Events.seq(block.content(), at);
            }
        }
        assertEquals(103, last, "close writes what came after the dump");
        assertTrue(Files.exists(dir.resolve("t.closed")));
    }

    /**
     * 20 platform threads, one after the other, each write 10 events and end, with room for 8 ended
     * carriers: the flusher retires the oldest ones unread (a final block each, its events counted
     * lost), the last 8 keep their events for the dump, which then retires them too.
     */
    @Test
    void endedCarriersBeyondTheKeptAreRetiredUnreadAndCountedLost(@TempDir final Path dir) throws Exception
    {
        final int threads = 20;
        final int kept = 8;
        final int events = 10;
        final RelayChannel channel = RelayChannel.builder().files("t.", dir).geometry(HEADER_LENGTH + 64, 4)
            .mode(RelayMode.FLIGHT_RECORDER).cpus(1).keepEnded(kept).open();
        for (int t = 0; t < threads; t++)
        {
            final long writer = t;
            final Thread thread = new Thread(() ->
            {
                final RelayBuffer buffer = channel.buffer();
                for (int i = 0; i < events; i++)
                {
                    Events.write(buffer, writer, i);
                }
            });
            thread.start();
            thread.join();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (channel.buffers().size() > kept + 1 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        final int onlineBeforeDump = channel.buffers().size();
        final int retiredBeforeDump = channel.retiredBuffers();
        channel.dump();
        final int onlineAfterDump = channel.buffers().size();
        channel.close();

        assertEquals(kept + 1, onlineBeforeDump, "the kept ended carriers and the global buffer");
        assertEquals(threads - kept, retiredBeforeDump);
        assertEquals(1, onlineAfterDump, "the dump wrote the kept ones' events, and retired them");
        final long[] read = new long[threads];
        final long[] finalEvents = new long[threads];
        final long[] finalLost = new long[threads];
        for (final TraceFiles.Block block : TraceFiles.blocks(dir.resolve("t.0")))
        {
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                assertEquals(read[(int)Events.writer(block.content(), at)]++, Events.seq(block.content(), at), "in order");
            }
            if (block.isFinal())
            {
                finalEvents[block.bufferId() - 1] = block.eventsBefore();
                finalLost[block.bufferId() - 1] = block.lost();
            }
        }
        for (int t = 0; t < threads; t++)
        {
            final boolean wasKept = t >= threads - kept;
            assertEquals(wasKept ? events : 0, read[t], "events of writer " + t + " in the files");
            assertEquals(events, finalEvents[t], "writer " + t + "'s final block counts its events");
            // 10 events, 4 a sub-buffer: two finished sub-buffers and the current one, all given up.
            assertEquals(wasKept ? 0 : 3, finalLost[t], "writer " + t + "'s sub-buffers given up");
        }
    }
}
