package com.acme.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The load and soak workload (JDK 21+), run in a child JVM under the agent with
 * {@code include=com.acme.load.Traced}: virtual threads and a fixed number of platform threads
 * calling {@link Traced#step} until a deadline, every call counted exactly. Platform threads end
 * after a lifetime and are replaced by a new one each, so that carriers keep ending and coming
 * online. Every second the main thread (never traced) prints a {@link MemorySample}.
 * <p>
 * Arguments: {@code MODE SECONDS VIRTUAL PLATFORM LIFETIME_MS BATCH PAUSE_MS BUFFER_LIMIT}.
 * {@code load}: full speed, virtual threads yield after each batch of calls (so that all of them
 * take turns on the carriers), platform threads never pause. {@code soak}: every thread sleeps
 * {@code PAUSE_MS} after each batch, a steady rate (virtual threads start over the first
 * {@value #STAGGER_PAUSES} pauses). After the deadline every worker ends; the main
 * thread then samples once a second until direct plus mapped buffer memory is at most
 * {@code BUFFER_LIMIT} bytes (at most 60 samples), and prints
 * {@code load done calls=N platformThreads=N virtualThreads=N}: then the JVM exits and the agent
 * closes the trace, which must hold {@code 2 * calls} events, or count the missing ones.
 */
public final class LoadWorkload
{
    private static final int MAX_AFTER_SAMPLES = 60;
    /**
     * A soak is steady: its virtual threads make their first call spread over this many pauses, not
     * all in the same instant (that burst, every new thread's definition at once, is the load test's).
     */
    private static final int STAGGER_PAUSES = 5;

    private static final LongAdder CALLS = new LongAdder();
    private static final AtomicLong PLATFORM_STARTED = new AtomicLong();
    private static final AtomicInteger PLATFORM_LIVE = new AtomicInteger();
    private static final CountDownLatch PLATFORM_GATE = new CountDownLatch(1);
    private static final CountDownLatch VIRTUAL_GATE = new CountDownLatch(1);
    private static volatile boolean stop;
    private static volatile long sink;

    private final boolean soak;
    private final long lifetimeNanos;
    private final int batch;
    private final long pauseMillis;

    private LoadWorkload(final boolean soak, final long lifetimeMillis, final int batch, final long pauseMillis)
    {
        this.soak = soak;
        this.lifetimeNanos = TimeUnit.MILLISECONDS.toNanos(lifetimeMillis);
        this.batch = batch;
        this.pauseMillis = pauseMillis;
    }

    public static void main(final String[] args) throws Exception
    {
        if (args.length != 8 || !("load".equals(args[0]) || "soak".equals(args[0])))
        {
            throw new IllegalArgumentException("usage: load|soak SECONDS VIRTUAL PLATFORM LIFETIME_MS BATCH PAUSE_MS BUFFER_LIMIT");
        }
        final long seconds = Long.parseLong(args[1]);
        final int virtual = Integer.parseInt(args[2]);
        final int platform = Integer.parseInt(args[3]);
        final LoadWorkload work = new LoadWorkload(
            "soak".equals(args[0]), Long.parseLong(args[4]), Integer.parseInt(args[5]), Long.parseLong(args[6]));
        final long bufferLimit = Long.parseLong(args[7]);

        // Every worker first waits at a gate: starting 100,000 virtual threads takes seconds, and
        // the run begins only once all of them (and the platform threads) are there.
        final long created = System.nanoTime();
        final List<Thread> virtualThreads = new ArrayList<>(virtual);
        for (int i = 0; i < virtual; i++)
        {
            final long delayMillis = work.soak ? STAGGER_PAUSES * work.pauseMillis * i / virtual : 0;
            virtualThreads.add(Thread.ofVirtual().start(() -> work.virtualWorker(delayMillis)));
        }
        for (int i = 0; i < platform; i++)
        {
            work.startPlatformWorker();
        }
        final long start = System.nanoTime();
        // Two gates: a latch wakes its waiters one after the other, and a platform thread queued
        // behind 100,000 virtual threads would wait for all of them to be scheduled first.
        PLATFORM_GATE.countDown();
        VIRTUAL_GATE.countDown();
        System.out.println("load started virtualThreads=" + virtual + " platformThreads=" + platform +
            " startMillis=" + TimeUnit.NANOSECONDS.toMillis(start - created));
        final long end = start + TimeUnit.SECONDS.toNanos(seconds);
        // One sample a second at most: a sample (a full GC, a look at every thread) may take longer.
        for (long next = start + TimeUnit.SECONDS.toNanos(1); next - end < 0; next += TimeUnit.SECONDS.toNanos(1))
        {
            sleepUntil(next);
            System.out.println(MemorySample.take("run", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), counters()).line());
            next = Math.max(next, System.nanoTime() - TimeUnit.SECONDS.toNanos(1) / 2);
        }

        stop = true;
        for (final Thread thread : virtualThreads)
        {
            thread.join();
        }
        while (PLATFORM_LIVE.get() > 0)
        {
            Thread.sleep(10);
        }
        final long stopped = System.nanoTime();
        for (int i = 1; i <= MAX_AFTER_SAMPLES; i++)
        {
            sleepUntil(stopped + TimeUnit.SECONDS.toNanos(i));
            final MemorySample sample = MemorySample.take("after", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), counters());
            System.out.println(sample.line());
            if (sample.bufferMemory() <= bufferLimit)
            {
                break;
            }
        }
        System.out.println("load done calls=" + CALLS.sum() + " platformThreads=" + PLATFORM_STARTED.get() +
            " virtualThreads=" + virtual + " sink=" + (sink & 1));
    }

    private static String counters()
    {
        return "calls=" + CALLS.sum() + " platformThreads=" + PLATFORM_STARTED.get() + " platformLive=" + PLATFORM_LIVE.get();
    }

    private static void sleepUntil(final long deadline)
    {
        long left;
        while ((left = deadline - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(left);
        }
    }

    /** Counted before the thread starts: the main thread waits for {@link #PLATFORM_LIVE} to read 0 after the stop. */
    private void startPlatformWorker()
    {
        PLATFORM_LIVE.incrementAndGet();
        PLATFORM_STARTED.incrementAndGet();
        Thread.ofPlatform().name("load-p-" + PLATFORM_STARTED.get()).start(this::platformWorker);
    }

    /** Works for its lifetime, then hands over to a new platform thread and ends. */
    private void platformWorker()
    {
        awaitGate(PLATFORM_GATE);
        final long retire = System.nanoTime() + lifetimeNanos;
        long acc = 0;
        while (!stop && System.nanoTime() - retire < 0)
        {
            acc += callBatch();
            if (soak)
            {
                pause(pauseMillis);
            }
        }
        sink = acc;
        // No longer tracing: counted out before the replacement is counted in, so that at most
        // PLATFORM threads trace at once (the replacement may start while this one is still exiting).
        // The main thread may see 0 just before a replacement starts after the stop: that one
        // then makes no call.
        PLATFORM_LIVE.decrementAndGet();
        if (!stop)
        {
            startPlatformWorker();
        }
    }

    private void virtualWorker(final long delayMillis)
    {
        awaitGate(VIRTUAL_GATE);
        if (delayMillis > 0)
        {
            pause(delayMillis);
        }
        long acc = 0;
        while (!stop)
        {
            acc += callBatch();
            if (soak)
            {
                pause(pauseMillis);
            }
            else
            {
                Thread.yield();
            }
        }
        sink = acc;
    }

    private static void awaitGate(final CountDownLatch gate)
    {
        try
        {
            gate.await();
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException("the load workload is never interrupted", ex);
        }
    }

    /** One batch of traced calls, counted once they all returned. */
    private long callBatch()
    {
        long acc = 0;
        for (int i = 0; i < batch; i++)
        {
            acc += Traced.step(i);
        }
        CALLS.add(batch);
        return acc;
    }

    private static void pause(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
