package io.relaytrace.relay;

import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes the channels of finished jcstress states off the arbiter's thread.
 * <p>
 * Why: {@link RelayChannel#close()} waits a few milliseconds for late writers to commit; done in
 * the arbiter it would bound a test to a few hundred states a second. The closer has a bounded
 * queue and runs the close on the caller when it is full, so open channels (each with a flusher
 * thread) never pile up.
 */
final class BackgroundCloser
{
    private static final ThreadPoolExecutor CLOSER = closer();

    private BackgroundCloser()
    {
    }

    /**
     * Closes the channel, then deletes its trace directory if it has one, on a closer thread (or
     * this one when they are all busy).
     *
     * @param channel an open channel.
     * @param dir     its trace directory from {@link TraceDirectories#fresh()}, or null.
     */
    static void closeLater(final RelayChannel channel, final Path dir)
    {
        CLOSER.execute(() ->
        {
            channel.close();
            if (dir != null)
            {
                TraceDirectories.delete(dir);
            }
        });
    }

    private static ThreadPoolExecutor closer()
    {
        final ThreadPoolExecutor closer = new ThreadPoolExecutor(
            8, 8, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(64),
            task ->
            {
                final Thread thread = new Thread(task, "relay-jcstress-closer");
                thread.setDaemon(true);
                return thread;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
        closer.prestartAllCoreThreads();
        return closer;
    }
}
