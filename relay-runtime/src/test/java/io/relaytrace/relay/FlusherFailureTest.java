package io.relaytrace.relay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flusher meets an error (here: a client's callback that throws each time a carrier that ended
 * is retired): it goes on, says so once, and counts the rest; the events are all written.
 */
class FlusherFailureTest
{
    private static final int THREADS = 5;
    private static final int EVENTS = 100;

    @Test
    void repeatedFlusherErrorsAreSaidOnceAndCounted(@TempDir final Path dir) throws Exception
    {
        final RelayCallbacks throwing = new RelayCallbacks()
        {
            @Override
            public void bufUnmapped(final RelayBuffer buf, final Path file)
            {
                if (buf.id() != 0) // carriers' buffers, which the flusher retires; not the global one, unmapped at close
                {
                    throw new IllegalStateException("client callback failed for buffer " + buf.id());
                }
            }
        };
        final PrintStream stderr = System.err;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        final RelayChannel channel;
        try
        {
            channel = RelayChannel.builder().files("t.", dir).geometry(4096, 8).cpus(1).mapped(true).callbacks(throwing)
                .flushInterval(1, TimeUnit.HOURS).open();
            for (int t = 0; t < THREADS; t++)
            {
                final Thread writer = new Thread(() ->
                {
                    final RelayBuffer buffer = channel.buffer();
                    for (int i = 0; i < EVENTS; i++)
                    {
                        assertTrue(Events.write(buffer, 1, i));
                    }
                });
                writer.start();
                writer.join();
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (channel.retiredBuffers() < THREADS && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
            }
            assertEquals(THREADS, channel.retiredBuffers(), "the flusher went on retiring after each error");
            assertEquals(THREADS, channel.flusherFailures());
            channel.close();
        }
        finally
        {
            System.setErr(stderr);
        }
        final List<String> lines = captured.toString().lines().toList();
        assertEquals(1, lines.size(), () -> "one line: " + lines);
        assertTrue(lines.get(0).matches("relaytrace: flusher error, continuing \\(java.lang.IllegalStateException: client callback " +
            "failed for buffer [0-9]+\\); further flusher errors are only counted"), lines.get(0));
        long events = 0;
        for (final TraceFiles.Block block : TraceFiles.blocks(dir.resolve("t.0")))
        {
            events += block.content().limit() / Events.LENGTH;
        }
        assertEquals((long)THREADS * EVENTS, events, "every event written");
    }
}
