package io.relaytrace.relay;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A flusher stuck on a slow disk (here: holding its lock, as a write that does not return would)
 * never makes the writer wait: discard mode drops and counts, overwrite mode laps and counts.
 */
class StalledFlusherTest
{
    @ParameterizedTest
    @EnumSource(value = RelayMode.class, names = {"DISCARD", "OVERWRITE"})
    @Timeout(60)
    void writerNeverWaitsForAStalledFlusher(final RelayMode mode, @TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files("t.", dir).geometry(HEADER_LENGTH + 64 * 16, 4)
            .mode(mode).cpus(1).open();
        final int events = 1000; // 250 sub-buffers' worth; the buffer holds 4 x 64
        channel.drainLock().lock();
        final RelayBuffer[] buffer = new RelayBuffer[1];
        try
        {
            final CompletableFuture<Void> writer = CompletableFuture.runAsync(() ->
            {
                buffer[0] = channel.buffer();
                for (int i = 0; i < events; i++)
                {
                    Events.write(buffer[0], 1, i);
                }
            });
            writer.get(30, TimeUnit.SECONDS); // completes while the flusher is stuck
        }
        finally
        {
            channel.drainLock().unlock();
        }
        final RelayStats stats = buffer[0].stats();
        if (mode == RelayMode.DISCARD)
        {
            assertEquals(4 * 64, stats.events(), "the buffer's capacity, exactly");
            assertEquals(events - 4 * 64, stats.dropped(), "every other event dropped and counted");
        }
        else
        {
            assertEquals(events, stats.events(), "overwrite never drops");
            assertEquals(0, stats.dropped());
        }
        channel.close();
        long read = 0;
        long committed = 0;
        for (final TraceFiles.Block block : TraceFiles.blocks(dir.resolve("t.0")))
        {
            read += block.content().limit() / Events.LENGTH;
            if (block.isFinal())
            {
                committed = block.eventsBefore();
                if (mode == RelayMode.OVERWRITE)
                {
                    assertTrue(block.lost() > 0, "laps counted");
                }
            }
        }
        assertEquals(stats.events(), committed);
        if (mode == RelayMode.DISCARD)
        {
            assertEquals(committed, read, "discard keeps what it accepted");
        }
        else
        {
            assertTrue(read <= 4 * 64, "only the newest sub-buffers survive: read " + read);
        }
    }
}
