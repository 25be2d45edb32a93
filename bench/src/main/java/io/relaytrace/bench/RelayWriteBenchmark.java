package io.relaytrace.bench;

import io.relaytrace.relay.RelayBuffer;
import io.relaytrace.relay.RelayChannel;
import io.relaytrace.relay.RelayMode;
import io.relaytrace.relay.clock.TraceClock;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Cost of writing one 16-byte event the way the agent does: find the carrier's buffer
 * ({@link RelayChannel#buffer()}), {@code reserve(16)}, {@code putInt}, {@code putInt},
 * {@code putLong}, {@code commit()}; from a platform thread and from a virtual thread, with
 * {@link System#nanoTime()} measured alone in the same run for comparison.
 * <p>
 * The channel is buffer-only in overwrite mode (256 KiB x 8 sub-buffers): it never fills, so every
 * operation is a real write, sub-buffer switches included at their natural rate (one per 16,368
 * events), and no flusher does file I/O on the second of the two cores meanwhile. A no-overwrite
 * channel whose flusher did not keep up would answer {@link RelayBuffer#REFUSED}, a cheaper path
 * that would flatter the figure.
 * <p>
 * The timestamp written is a counter, not the clock: the clock's cost is {@link #nanoTime()}'s,
 * and {@link #platformWriteWithNanoTime()} shows the two together; {@link #traceClock()} and
 * {@link #platformWriteWithTraceClock()} the same with the clock the agent uses ({@link TraceClock}:
 * the time-stamp counter where safe; the fork opens {@code java.lang.invoke} as the agent does, and
 * the setup prints which clock is in use). Run with {@code -prof gc} to
 * see that the write allocates nothing.
 * <p>
 * Example: {@code java -jar bench/target/benchmarks.jar RelayWriteBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "--add-exports", "java.base/jdk.internal.access=ALL-UNNAMED",
    "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens", "java.base/java.lang.invoke=ALL-UNNAMED"})
public class RelayWriteBenchmark
{
    /**
     * Writes per invocation of the batch benchmarks. A virtual thread is started per batch, and its
     * start, the wake-up of a carrier and the join cost tens of microseconds: with 10,000 writes
     * they added 2-5 ns per write; with a million, well under 0.1 ns.
     */
    static final int BATCH = 1_000_000;

    private static final int HEADER = 0x0001_0010;
    private static final int METHOD_ID = 42;

    private RelayChannel channel;
    private long timestamp;

    @Setup(Level.Trial)
    public void open() throws IOException, InterruptedException
    {
        channel = RelayChannel.builder().geometry(256 * 1024, 8).mode(RelayMode.OVERWRITE).cpus(2).open();
        System.out.println("clock: " + TraceClock.awaitSource(60_000));
        if (channel.buffer() == null)
        {
            throw new IllegalStateException("no buffer for the benchmark thread: run with the --add-exports of @Fork");
        }
    }

    @TearDown(Level.Trial)
    public void close()
    {
        final long refused = channel.stats().stream().mapToLong(s -> s.dropped() + s.tooBig()).sum();
        channel.close();
        if (refused != 0 || channel.unattributed() != 0)
        {
            throw new IllegalStateException("refused=" + refused + " unattributed=" + channel.unattributed() +
                ": every write should have been accepted");
        }
    }

    /** The clock alone: what every real event pays on top of the write. */
    @Benchmark
    public long nanoTime()
    {
        return System.nanoTime();
    }

    /** One 16-byte write from a platform thread, carrier lookup included. */
    @Benchmark
    public void platformWrite()
    {
        write(channel, ++timestamp);
    }

    /** The same write stamped with {@link System#nanoTime()}, as the agent's events are with {@code clock=nanotime}. */
    @Benchmark
    public void platformWriteWithNanoTime()
    {
        write(channel, System.nanoTime());
    }

    /** {@link TraceClock#now()} alone: the agent's clock. */
    @Benchmark
    public long traceClock()
    {
        return TraceClock.now();
    }

    /** The same write stamped with {@link TraceClock#now()}, as the agent's events are by default. */
    @Benchmark
    public void platformWriteWithTraceClock()
    {
        write(channel, TraceClock.now());
    }

    /** {@link #BATCH} writes in a loop on this platform thread: the reference for {@link #virtualBatch()}. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void platformBatch()
    {
        timestamp = writeBatch(channel, timestamp);
    }

    /**
     * {@link #BATCH} writes from a new virtual thread, which writes into its carrier's buffer; the
     * start and join of the virtual thread are spread over the batch.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void virtualBatch() throws InterruptedException
    {
        final RelayChannel channel = this.channel;
        final long from = timestamp;
        Thread.ofVirtual().start(() -> writeBatch(channel, from)).join();
        timestamp = from + BATCH;
    }

    private static long writeBatch(final RelayChannel channel, final long from)
    {
        long t = from;
        for (int i = 0; i < BATCH; i++)
        {
            write(channel, ++t);
        }
        return t;
    }

    private static void write(final RelayChannel channel, final long timestamp)
    {
        final RelayBuffer buffer = channel.buffer();
        if (buffer == null)
        {
            return; // counted unattributed; teardown fails the run
        }
        final int at = buffer.reserve(16);
        if (at != RelayBuffer.REFUSED)
        {
            final ByteBuffer memory = buffer.memory();
            memory.putInt(at, HEADER);
            memory.putInt(at + 4, METHOD_ID);
            memory.putLong(at + 8, timestamp);
            buffer.commit();
        }
    }
}
