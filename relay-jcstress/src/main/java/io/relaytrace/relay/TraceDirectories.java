package io.relaytrace.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Trace directories for stress tests that open a channel with files per jcstress state: one fresh
 * directory each, in memory ({@code /dev/shm}) when there is one so that thousands of states a
 * second do not wait on a disk, and a background close.
 * <p>
 * Why a background close: {@link RelayChannel#close()} waits a few milliseconds for late writers
 * to commit; done in the arbiter it would bound a test to a few hundred states a second. The
 * closer has a bounded queue and runs the close on the caller when it is full, so open channels
 * (each with a flusher thread) never pile up.
 * <p>
 * jcstress ends its forked VMs without running shutdown hooks, so channels still open then leave
 * their directories behind: {@code ./run} points {@value #ROOT_PROPERTY} at a directory of its own
 * and deletes it afterwards.
 */
final class TraceDirectories
{
    /** System property: where to put each forked VM's trace directories (default {@code /dev/shm}, else the temp dir). */
    static final String ROOT_PROPERTY = "relay.jcstress.dir";

    private static final Path ROOT = root();
    private static final AtomicLong NEXT = new AtomicLong();
    private static final ThreadPoolExecutor CLOSER = closer();

    private TraceDirectories()
    {
    }

    /** @return a path for a new trace directory (the channel creates it). */
    static Path fresh()
    {
        return ROOT.resolve(Long.toString(NEXT.incrementAndGet()));
    }

    /**
     * Closes the channel and deletes its directory, on a closer thread (or this one when they are
     * all busy).
     *
     * @param channel an open channel whose files are in {@code dir}.
     * @param dir     its trace directory.
     */
    static void closeLater(final RelayChannel channel, final Path dir)
    {
        CLOSER.execute(() ->
        {
            channel.close();
            delete(dir);
        });
    }

    private static Path root()
    {
        final String given = System.getProperty(ROOT_PROPERTY);
        final Path shm = Paths.get("/dev/shm");
        final Path parent = given != null ? Paths.get(given) :
            Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Paths.get(System.getProperty("java.io.tmpdir"));
        try
        {
            return Files.createTempDirectory(parent, "relay-jcstress-");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create a directory for traces in " + parent + ": " + ex.getMessage(), ex);
        }
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

    private static void delete(final Path dir)
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException | UncheckedIOException ex)
        {
            // A leftover directory in /dev/shm or the temp dir is harmless; the test result stands.
        }
    }
}
