package io.relaytrace.viewer;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM's main: writes a trace with mapped buffers, flushes part of it to the files while a
 * sub-buffer is half written, writes more (and defines a method) that only the mapped files hold,
 * then dies without closing ({@link Runtime#halt}), as a JVM killed by {@code kill -9} would.
 * <p>
 * Workload: a platform thread (buffer id 1) calls {@code a.Flushed.m()} {@link #CALLS_BEFORE_FLUSH}
 * times; another thread's flush takes the committed part of its current sub-buffer; it calls
 * {@code a.Flushed.m()} {@link #CALLS_AFTER_FLUSH} more times, which fit in the same sub-buffer
 * (1 KiB sub-buffers hold 57 records, the first one a THREAD record), enters it once more and
 * stays alive without leaving it. Then a virtual thread calls {@code a.Salvaged.m()}
 * {@link #VIRTUAL_CALLS} times, and the JVM halts.
 */
public final class CrashingWriter
{
    public static final int CALLS_BEFORE_FLUSH = 150;
    public static final int CALLS_AFTER_FLUSH = 10;
    public static final int PLATFORM_CALLS = CALLS_BEFORE_FLUSH + CALLS_AFTER_FLUSH;
    public static final int VIRTUAL_CALLS = 200;

    private CrashingWriter()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final TraceWriterFixture trace = TraceWriterFixture.openMapped(Path.of(args[0]), 1024, 64, 2);
        trace.defineMethod(1, "a.Flushed", "m", "()V");
        final CountDownLatch halfWritten = new CountDownLatch(1);
        final CountDownLatch flushed = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(1);
        final CountDownLatch never = new CountDownLatch(1);
        Thread.ofPlatform().daemon().start(() ->
        {
            for (int i = 0; i < PLATFORM_CALLS; i++)
            {
                if (i == CALLS_BEFORE_FLUSH)
                {
                    halfWritten.countDown();
                    await(flushed);
                }
                trace.enter(1);
                trace.exit(1);
            }
            trace.enter(1);
            done.countDown();
            // Alive until the JVM dies, so that its buffer is never retired (drained) by the flusher.
            await(never);
        });
        halfWritten.await();
        // Another thread's flush takes the committed part of the platform thread's current sub-buffer.
        trace.channel().flush();
        flushed.countDown();
        done.await();
        trace.defineMethod(2, "a.Salvaged", "m", "()V");
        final Thread virtual = Thread.ofVirtual().start(() ->
        {
            for (int i = 0; i < VIRTUAL_CALLS; i++)
            {
                trace.enter(2);
                trace.exit(2);
            }
        });
        virtual.join();
        Runtime.getRuntime().halt(0);
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
