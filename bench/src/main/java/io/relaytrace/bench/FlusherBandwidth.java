package io.relaytrace.bench;

import io.relaytrace.relay.RelayBuffer;
import io.relaytrace.relay.RelayChannel;
import io.relaytrace.relay.RelayMode;
import io.relaytrace.relay.RelayStats;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * How fast the flusher moves data from a buffer to disk: one writer fills a no-overwrite channel
 * with files, as fast as the flusher frees space, until {@code size} MiB are committed; the clock
 * stops when {@link RelayChannel#close()} returns, that is after the last block is written and
 * the files are synced ({@code fdatasync}), as {@code dd ... conv=fdatasync} does.
 * <p>
 * The writer commits 1 KiB events (so the writer is never the bottleneck) and, when the buffer is
 * full, parks for 20 us instead of spinning, leaving the second core to the flusher and the
 * kernel's writeback. Refused events are counted and reported; they are not part of the figure.
 * <p>
 * Usage: {@code java --add-exports ... -cp bench/target/benchmarks.jar io.relaytrace.bench.FlusherBandwidth DIR [MiB]}.
 * DIR must not exist (it is created, then deleted). Prints one line:
 * {@code flusher: bytes=... seconds=... MiB/s=... dropped=...}.
 */
public final class FlusherBandwidth
{
    private static final int EVENT_LENGTH = 1024;
    private static final int SUBBUF_SIZE = 1024 * 1024;
    private static final int SUBBUFS = 8;
    private static final long FULL_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    private FlusherBandwidth()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 1 || args.length > 2)
        {
            System.err.println("usage: FlusherBandwidth DIR [MiB]   (DIR is created and deleted; MiB defaults to 1024)");
            System.exit(2);
        }
        final Path dir = Paths.get(args[0]);
        final long mib = args.length == 2 ? Long.parseLong(args[1]) : 1024;
        if (Files.exists(dir) || mib <= 0)
        {
            System.err.println("FlusherBandwidth: dir=" + dir + " must not exist and MiB=" + mib + " must be > 0");
            System.exit(2);
        }

        final long target = mib * 1024 * 1024;
        final byte[] event = new byte[EVENT_LENGTH];
        final long start = System.nanoTime();
        final RelayChannel channel = RelayChannel.builder()
            .files("trace.", dir).geometry(SUBBUF_SIZE, SUBBUFS).cpus(1).mode(RelayMode.DISCARD).open();
        final RelayBuffer buffer = channel.buffer();
        long committed = 0;
        while (committed < target)
        {
            final int at = buffer.reserve(EVENT_LENGTH);
            if (at == RelayBuffer.REFUSED)
            {
                LockSupport.parkNanos(FULL_PARK_NANOS);
                continue;
            }
            buffer.memory().put(at, event, 0, EVENT_LENGTH);
            buffer.commit();
            committed += EVENT_LENGTH;
        }
        long dropped = 0;
        for (final RelayStats stats : channel.stats())
        {
            dropped += stats.dropped();
        }
        channel.close();
        final double seconds = (System.nanoTime() - start) / 1e9;

        final long bytes = filesSize(dir);
        System.out.printf("flusher: bytes=%d seconds=%.3f MiB/s=%.1f dropped=%d%n",
            bytes, seconds, bytes / seconds / (1024 * 1024), dropped);
        delete(dir);
    }

    private static long filesSize(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            long total = 0;
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                total += Files.size(file);
            }
            return total;
        }
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : (Iterable<Path>)paths.sorted(Comparator.reverseOrder())::iterator)
            {
                Files.delete(path);
            }
        }
    }
}
