package io.relaytrace.relay;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A disk that fills up under the flusher: the writer never notices, the blocks that cannot be
 * written are counted, one line goes to stderr, writing resumes when space returns, and the gap is
 * exact in the trace. Uses a 1 MiB tmpfs (the test suite runs as root here, as CI does).
 */
class DiskFullTest
{
    private Path mount;

    @AfterEach
    void unmount() throws Exception
    {
        if (mount != null)
        {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void fullDiskIsCountedAndWritingResumes(@TempDir final Path tmp) throws Exception
    {
        final Path point = tmp.resolve("small");
        Files.createDirectory(point);
        final Process mountProcess = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", point.toString())
            .redirectErrorStream(true).start();
        assumeTrue(mountProcess.waitFor() == 0, "mounting a tmpfs needs root");
        mount = point;

        final Path filler = point.resolve("filler");
        Files.write(filler, new byte[1024 * 1024 - 256 * 1024]); // leaves about 256 KiB
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        final RelayChannel channel;
        final RelayBuffer buffer;
        long attempted = 0;
        try
        {
            channel = RelayChannel.builder().files("t.", point.resolve("trace")).geometry(16 * 1024, 8).cpus(1)
                .flushInterval(1, TimeUnit.HOURS).open();
            buffer = channel.buffer();
            for (int round = 0; round < 40; round++) // 40 x 16 KiB of events: far more than fits
            {
                for (int i = 0; i < 1000; i++)
                {
                    Events.write(buffer, 1, attempted++);
                }
                channel.flush();
            }
            assertTrue(channel.blocksNotWritten() > 0, "the disk filled up");
            Files.delete(filler);
            Thread.sleep(1100); // recovery is announced after a quiet second
            for (int i = 0; i < 1000; i++)
            {
                Events.write(buffer, 1, attempted++);
            }
            channel.flush();
            channel.close();
        }
        finally
        {
            System.setErr(stderr);
        }

        final String err = captured.toString();
        assertEquals(1, err.lines().filter(l -> l.contains("cannot write")).count(), err);
        assertEquals(1, err.lines().filter(l -> l.contains("works again")).count(), err);
        assertEquals(0, buffer.stats().dropped(), "the writer never waited for the disk nor dropped");

        final Path dir = point.resolve("trace");
        final ClosedMarker marker = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(dir.resolve("t.closed"))));
        assertEquals(attempted, marker.events());
        assertTrue(marker.blocksNotWritten() > 0);
        long read = 0;
        long finalCommitted = 0;
        long last = -1;
        for (final TraceFiles.Block block : TraceFiles.blocks(dir.resolve("t.0")))
        {
            if (block.isFinal())
            {
                finalCommitted = block.eventsBefore();
            }
            for (int at = 0; at < block.content().limit(); at += Events.LENGTH)
            {
                final long seq = Events.seq(block.content(), at);
                assertTrue(seq > last, "in order, nothing twice");
                last = seq;
                read++;
            }
        }
        assertEquals(attempted, finalCommitted);
        assertEquals(attempted - 1, last, "the events after space returned are there");
        assertTrue(read < attempted, "some were lost to the full disk: read " + read);
    }
}
