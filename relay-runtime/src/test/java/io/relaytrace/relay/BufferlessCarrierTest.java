package io.relaytrace.relay;

import io.relaytrace.relay.format.MappedBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A carrier whose buffer cannot be had (here its mapped file cannot be created: a directory is in
 * the way) is told so once on stderr, its events are counted as unattributed, and the channel does
 * not try again for it: an allocation that failed would fail again, slowly, on every event.
 */
class BufferlessCarrierTest
{
    @Test
    void aCarrierWithoutABufferIsRememberedAndCounted(@TempDir final Path dir) throws Exception
    {
        // Buffer 0 is the global buffer; carriers get 1, 2, ... in the order they come online.
        final Path inTheWay = Files.createDirectory(dir.resolve(MappedBufferDescriptor.fileName("t.", 1)));
        final RelayChannel channel = RelayChannel.builder().files("t.", dir).geometry(4096, 4).mapped(true).cpus(1).open();
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            final Thread[] carrier = new Thread[1];
            CompletableFuture.runAsync(() ->
            {
                carrier[0] = Thread.currentThread();
                assertNull(channel.buffer(), "no buffer: its file cannot be created");
                try
                {
                    Files.delete(inTheWay); // the obstacle goes: the carrier is still not asked again
                }
                catch (final java.io.IOException ex)
                {
                    throw new java.io.UncheckedIOException(ex);
                }
                for (int i = 0; i < 999; i++)
                {
                    assertNull(channel.buffer());
                }
            }, runnable -> new Thread(runnable, "bufferless").start()).get();

            assertEquals(1000, channel.totals().unattributed());
            assertFalse(Files.exists(dir.resolve(MappedBufferDescriptor.fileName("t.", 1))), "never tried again");
            assertNotNull(channel.buffer(), "another carrier (this thread) gets one");
            final String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
            assertEquals(1, lines.length, captured::toString);
            assertEquals("relaytrace: cannot map a buffer for carrier bufferless: " + dir.resolve(MappedBufferDescriptor.fileName("t.", 1)) +
                "; its events are counted as unattributed, further such failures only counted", lines[0]);
        }
        finally
        {
            System.setErr(stderr);
            channel.close();
        }
    }
}
