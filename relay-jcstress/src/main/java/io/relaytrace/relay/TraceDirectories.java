package io.relaytrace.relay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Trace directories for stress tests that open a channel with files per jcstress state: one fresh
 * directory each, in memory ({@code /dev/shm}) when there is one, so that thousands of states a
 * second do not wait on a disk. {@link BackgroundCloser} deletes them after their channel closes.
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

    private TraceDirectories()
    {
    }

    /** @return a path for a new trace directory (the channel creates it). */
    static Path fresh()
    {
        return ROOT.resolve(Long.toString(NEXT.incrementAndGet()));
    }

    /**
     * Deletes a trace directory and everything in it; a failure leaves it for {@code ./run} to remove.
     *
     * @param dir a directory from {@link #fresh()}.
     */
    static void delete(final Path dir)
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
            // A leftover directory is harmless; the test result stands.
        }
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
}
