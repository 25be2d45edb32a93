package io.relaytrace.relay;

import io.relaytrace.relay.format.SubbufDescriptor;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * {@link RelayChannel#flush()} while a carrier writes: what the flusher side copies to the files
 * (finished sub-buffers and committed partial data) is never torn, stale or repeated, and every
 * event is either in the files or counted dropped.
 * <p>
 * A channel with files per state (in {@code /dev/shm}), one CPU slot, no-overwrite mode, 32 content
 * bytes (two events) per sub-buffer, two sub-buffers, and a periodic flush far away (the background
 * flusher still writes finished sub-buffers every millisecond). The writer actor is the carrier:
 * its first {@link RelayChannel#buffer()} brings its buffer online. The two actors meet at a
 * spin barrier, then the writer waits a delay that changes from state to state (0 to 24 us: a flush
 * takes about 18 us here) and writes events 1..8, 500 ns apart; the other actor calls
 * {@code flush()} again and again until the writer is done (at most 64 times), so that flushes
 * read the buffer while the writer fills and switches it. Without a reader the buffer holds four
 * events; later ones are dropped and counted until a flush consumes a sub-buffer, and then
 * written into a reused slot.
 * <p>
 * The arbiter flushes the rest and decodes the slot's file ({@link TraceBlocks}): r1 = the events
 * in the files as {@link TestEvents} digits (-1 torn, -2 a malformed or out-of-sequence block,
 * described on the forked VM's stderr), r2 = events the buffer counted dropped.
 * <p>
 * The window this guards (a flush reading a slot the writer is re-entering) is a few nanoseconds
 * wide against microseconds of file writes per flush, so this test hits it rarely: with the
 * runtime of commit 13612e3 (before the fix of that window) it saw 2 bad blocks in 7,900 states of
 * {@code ./run}'s budget. {@link WriterReaderTest} and {@link ReaderLapTest} reach the same
 * window, shared by the flusher's reads ({@code RelayReader.locate}), hundreds of times a run.
 */
@JCStressTest
@State
@Description("RelayChannel.flush() concurrent with a writer on a channel with files")
@Outcome(id = "12345678, 0", expect = ACCEPTABLE, desc = "The flushes freed space in time: nothing dropped.")
@Outcome(id = "1234(678|578|568|567), 1", expect = ACCEPTABLE, desc = "One event dropped while the buffer was full.")
@Outcome(id = "1234(78|68|67|58|57|56), 2", expect = ACCEPTABLE, desc = "Two events dropped while the buffer was full.")
@Outcome(id = "1234[5-8], 3", expect = ACCEPTABLE, desc = "Three events dropped while the buffer was full.")
@Outcome(id = "1234, 4", expect = ACCEPTABLE, desc = "No flush freed space before the writer was done: events 5..8 dropped.")
@Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A torn or not yet committed event in the files.")
@Outcome(id = "-2, .*", expect = FORBIDDEN, desc = "A malformed block, or one out of its buffer's sequence.")
@Outcome(expect = FORBIDDEN, desc = "Events repeated, out of order, or missing without being counted dropped.")
public class WriterFlushTest
{
    private static final String BASE = "t.";
    private static final int EVENTS = 8;
    private static final long GAP_NANOS = 500;
    private static final int MAX_FLUSHES = 64;
    private static final long BARRIER_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final AtomicInteger DELAYS = new AtomicInteger();

    private final Path dir = TraceDirectories.fresh();
    private final RelayChannel channel;
    private final long delayNanos = (DELAYS.getAndIncrement() % 25) * 1000L;
    private volatile boolean writerReady;
    private volatile boolean flusherReady;
    private volatile boolean writerDone;
    private RelayBuffer buffer;

    public WriterFlushTest()
    {
        try
        {
            channel = RelayChannel.builder()
                .files(BASE, dir)
                .geometry(SubbufDescriptor.HEADER_LENGTH + 2 * TestEvents.LENGTH, 2)
                .cpus(1)
                .mode(RelayMode.DISCARD)
                .flushInterval(1, TimeUnit.HOURS)
                .open();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open a channel in " + dir + ": " + ex.getMessage(), ex);
        }
    }

    @Actor
    public void writer()
    {
        final RelayBuffer buffer = channel.buffer();
        this.buffer = buffer;
        writerReady = true;
        awaitFlusher();
        spin(delayNanos);
        for (int value = 1; value <= EVENTS; value++)
        {
            TestEvents.write(buffer, value);
            spin(GAP_NANOS);
        }
        writerDone = true;
    }

    @Actor
    public void flusher()
    {
        flusherReady = true;
        awaitWriter();
        int flushes = 0;
        do
        {
            channel.flush();
        }
        while (!writerDone && ++flushes < MAX_FLUSHES);
    }

    @Arbiter
    public void rest(final JJ_Result r)
    {
        channel.flush();
        r.r1 = TraceBlocks.decode(dir.resolve(BASE + buffer.cpuSlot()), buffer.id());
        r.r2 = buffer.stats().dropped();
        BackgroundCloser.closeLater(channel, dir);
    }

    private void awaitFlusher()
    {
        final long deadline = System.nanoTime() + BARRIER_TIMEOUT_NANOS;
        while (!flusherReady && System.nanoTime() - deadline < 0)
        {
            Thread.onSpinWait();
        }
    }

    private void awaitWriter()
    {
        final long deadline = System.nanoTime() + BARRIER_TIMEOUT_NANOS;
        while (!writerReady && System.nanoTime() - deadline < 0)
        {
            Thread.onSpinWait();
        }
    }

    private static void spin(final long nanos)
    {
        final long until = System.nanoTime() + nanos;
        while (System.nanoTime() - until < 0)
        {
            Thread.onSpinWait();
        }
    }
}
