package io.relaytrace.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.*;

/** A follower with its own read-only mapping of the file sees every event as it is committed. */
class MappedBufferFollowerTest
{
    @Test
    void followsEveryCommittedEventLiveInOrder(@TempDir final Path dir) throws Exception
    {
        final RelayChannel channel = RelayChannel.builder().files("t.", dir).geometry(4096, 64).mapped(true)
            .cpus(1).open();
        final int events = 10_000; // 160 KB: the 256 KB buffer is never lapped
        final Thread writer = new Thread(() ->
        {
            final RelayBuffer buffer = channel.buffer();
            for (int i = 0; i < events; i++)
            {
                Events.write(buffer, 1, i);
                if (i % 100 == 99)
                {
                    LockSupport.parkNanos(100_000);
                }
            }
        });
        writer.start();
        while (!dir.resolve("t.buffer1.mmap").toFile().exists())
        {
            Thread.sleep(1);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("t.buffer1.mmap"))),
            "a mapped buffer holds events: owner-only, as every trace file");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("t.buffer0.mmap"))));
        final ByteBuffer dst = ByteBuffer.allocate(8192).order(ByteOrder.LITTLE_ENDIAN);
        long next = 0;
        int emptyPolls = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (MappedBufferFollower follower = openOnceInitialised(dir.resolve("t.buffer1.mmap")))
        {
            while (next < events && System.nanoTime() < deadline)
            {
                dst.clear();
                final int read = follower.poll(dst);
                assertEquals(0, read % Events.LENGTH, "whole events only");
                if (read == 0)
                {
                    emptyPolls++;
                    Thread.sleep(0, 200_000);
                }
                for (int at = 0; at < read; at += Events.LENGTH)
                {
                    assertEquals(next++, Events.seq(dst, at));
                }
            }
            assertEquals(0, follower.lostSubbufs());
        }
        writer.join();
        channel.close();
        assertEquals(events, next);
        assertTrue(emptyPolls > 0, "the follower caught up with the writer at least once: it was live");
    }

    /** The file appears before its header is written (magic last): a follower started that early retries. */
    private static MappedBufferFollower openOnceInitialised(final Path file) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true)
        {
            try
            {
                return MappedBufferFollower.open(file);
            }
            catch (final io.relaytrace.relay.format.FormatException ex)
            {
                if (System.nanoTime() > deadline)
                {
                    throw ex;
                }
                Thread.sleep(1);
            }
        }
    }
}
