package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Main;
import io.relaytrace.viewer.TraceWriterFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The viewer streams: it summarises a trace of 2 million events (32 MiB of records; buffers large
 * enough that none is dropped) in a child JVM whose heap (16 MiB)
 * is smaller than what keeping the events, or the blocks, would take.
 */
class BoundedMemoryTest
{
    private static final int THREADS = 2;
    private static final int CALLS_PER_THREAD = 500_000;

    @Test
    void summaryOfMillionsOfEventsFitsInASmallHeap(@TempDir final Path dir) throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 64 * 1024, 512, 2))
        {
            trace.defineMethod(1, "big.A", "outer", "()V");
            trace.defineMethod(2, "big.A", "inner", "(I)I");
            final Thread[] threads = new Thread[THREADS];
            for (int t = 0; t < THREADS; t++)
            {
                threads[t] = Thread.ofPlatform().start(() ->
                {
                    for (int i = 0; i < CALLS_PER_THREAD / 2; i++)
                    {
                        trace.enter(1);
                        trace.enter(2);
                        trace.exit(2);
                        trace.exit(1);
                    }
                });
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
        }
        final Process child = new ProcessBuilder(List.of(
            ProcessHandle.current().info().command().orElseThrow(), "-Xmx16m", "-cp", System.getProperty("java.class.path"),
            Main.class.getName(), "summary", "--json", dir.toString()))
            .redirectErrorStream(true).start();
        final String output = new String(child.getInputStream().readAllBytes());
        assertTrue(child.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.startsWith("{\"events\":" + (2L * THREADS * CALLS_PER_THREAD) + ",\"lost\":0,\"dropped\":0,\"threads\":2,"),
            output);
        assertTrue(output.contains("{\"method\":\"big.A.inner(int)\",\"calls\":" + (THREADS * CALLS_PER_THREAD / 2) + ","), output);
    }
}
