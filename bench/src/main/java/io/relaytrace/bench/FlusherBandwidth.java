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
 * Usage: {@code java --add-exports ... -cp bench/target/benchmarks.jar io.relaytrace.bench.FlusherBandwidth DIR [MiB [SUBBUF_KiB]]}.
 * DIR must not exist (it is created, then deleted); MiB defaults to 1024, SUBBUF_KiB (the
 * sub-buffer size, so the size of each block the flusher writes) to 1024, with 8 sub-buffers.
 * Prints one line: {@code flusher: subbuf=...KiB bytes=... seconds=... MiB/s=... dropped=...}.
 */
public final class FlusherBandwidth
{
    private static final int EVENT_LENGTH = 1024;
    private static final int SUBBUFS = 8;
    private static final long FULL_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

    private FlusherBandwidth()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 1 || args.length > 3)
        {
            System.err.println("usage: FlusherBandwidth DIR [MiB [SUBBUF_KiB]]   (DIR is created and deleted; defaults 1024 MiB, 1024 KiB)");
            System.exit(2);
        }
        final Path dir = Paths.get(args[0]);
        final long mib = args.length >= 2 ? parse(args[1]) : 1024;
        final long subbufKib = args.length == 3 ? parse(args[2]) : 1024;
        if (Files.exists(dir) || mib <= 0 || subbufKib < 4 || subbufKib > 64 * 1024)
        {
            System.err.println("FlusherBandwidth: need a DIR that does not exist, MiB > 0 and SUBBUF_KiB in 4..65536; got DIR=" +
                dir + " MiB=" + (args.length >= 2 ? args[1] : "1024") + " SUBBUF_KiB=" + (args.length == 3 ? args[2] : "1024"));
            System.exit(2);
        }
        final int subbufSize = (int)subbufKib * 1024;

        final long target = mib * 1024 * 1024;
        final byte[] event = new byte[EVENT_LENGTH];
        final long start = System.nanoTime();
        final RelayChannel channel = RelayChannel.builder()
            .files("trace.", dir).geometry(subbufSize, SUBBUFS).cpus(1).mode(RelayMode.DISCARD).open();
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
        System.out.printf("flusher: subbuf=%dKiB bytes=%d seconds=%.3f MiB/s=%.1f dropped=%d%n",
            subbufKib, bytes, seconds, bytes / seconds / (1024 * 1024), dropped);
        delete(dir);
    }

    private static long parse(final String number)
    {
        try
        {
            return Long.parseLong(number);
        }
        catch (final NumberFormatException ex)
        {
            return -1;
        }
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
