package io.relaytrace.viewer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A workload whose counts are known exactly, written as a real trace by platform threads and by
 * virtual threads that yield in the middle of calls (so they move between carriers with calls
 * open; the first virtual thread waits inside its first call until it has moved). Per iteration: {@code Cart.<init>} once; {@code Cart.checkout} once, calling
 * {@code Cart.add} twice and {@code Pricing$Rules.price} once; every tenth iteration (i % 10 == 0)
 * {@code price} and then {@code checkout} end by THROW.
 */
public final class KnownWorkload
{
    public static final int INIT = 1;
    public static final int ADD = 2;
    public static final int CHECKOUT = 3;
    public static final int PRICE = 4;
    public static final int ISE = 7;

    public static final String INIT_NAME = "com.acme.Cart.<init>()";
    public static final String ADD_NAME = "com.acme.Cart.add(java.lang.String,int)";
    public static final String CHECKOUT_NAME = "com.acme.Cart.checkout(com.acme.Item[],long)";
    public static final String PRICE_NAME = "com.acme.Pricing$Rules.price(java.util.List,int[][])";

    public static final int PLATFORM_THREADS = 2;
    public static final int PLATFORM_ITERATIONS = 200;
    public static final int VIRTUAL_THREADS = 6;
    public static final int VIRTUAL_ITERATIONS = 100;

    public static final int ITERATIONS = PLATFORM_THREADS * PLATFORM_ITERATIONS + VIRTUAL_THREADS * VIRTUAL_ITERATIONS;
    public static final int EXCEPTIONS = PLATFORM_THREADS * PLATFORM_ITERATIONS / 10 + VIRTUAL_THREADS * VIRTUAL_ITERATIONS / 10;
    /** ENTER + EXIT/THROW of 5 calls per iteration. */
    public static final int EVENTS = ITERATIONS * 10;
    public static final int THREADS = PLATFORM_THREADS + VIRTUAL_THREADS;

    private KnownWorkload()
    {
    }

    /**
     * Writes the workload into {@code dir} (sub-buffers of 1 KiB, a flush every 10 ms so that
     * sub-buffers are flushed in parts, 2 CPU slots) and closes the channel.
     */
    public static void write(final Path dir) throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 1024, 256, 2,
            io.relaytrace.relay.RelayMode.DISCARD, 10))
        {
            trace.defineMethod(INIT, "com.acme.Cart", "<init>", "()V");
            trace.defineMethod(ADD, "com.acme.Cart", "add", "(Ljava/lang/String;I)V");
            trace.defineMethod(CHECKOUT, "com.acme.Cart", "checkout", "([Lcom/acme/Item;J)D");
            trace.defineMethod(PRICE, "com.acme.Pricing$Rules", "price", "(Ljava/util/List;[[I)Ljava/math/BigDecimal;");
            trace.defineClass(ISE, "java.lang.IllegalStateException");

            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < PLATFORM_THREADS; t++)
            {
                threads.add(Thread.ofPlatform().name("platform-" + t).unstarted(() -> run(trace, PLATFORM_ITERATIONS, false, false)));
            }
            for (int t = 0; t < VIRTUAL_THREADS; t++)
            {
                final boolean mustMove = t == 0;
                threads.add(Thread.ofVirtual().name("virtual-" + t).unstarted(() -> run(trace, VIRTUAL_ITERATIONS, true, mustMove)));
            }
            for (final Thread thread : threads)
            {
                trace.defineThread(thread.threadId(), thread.getName(), thread.isVirtual());
            }
            for (final Thread thread : threads)
            {
                thread.start();
            }
            for (final Thread thread : threads)
            {
                thread.join();
            }
        }
    }

    /**
     * Sleeps and yields, with a call open, until the scheduler resumes this virtual thread on a carrier
     * other than {@code before} (a timed wake-up is submitted to the pool from outside, so any worker may take it).
     */
    public static void moveToAnotherCarrier(final TraceWriterFixture trace, final long before)
    {
        final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (trace.currentCarrierId() == before && System.nanoTime() - deadline < 0)
        {
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
            Thread.yield();
        }
    }

    private static void run(final TraceWriterFixture trace, final int iterations, final boolean yield, final boolean mustMove)
    {
        for (int i = 0; i < iterations; i++)
        {
            trace.enter(INIT);
            trace.exit(INIT);
            trace.enter(CHECKOUT);
            // The carrier the open call was entered on, taken before the yield below may move the
            // thread: comparing with the carrier after the yield could see it come back to this one.
            final long entered = trace.currentCarrierId();
            if (yield)
            {
                Thread.yield();
            }
            if (mustMove && i == 0)
            {
                moveToAnotherCarrier(trace, entered);
            }
            trace.enter(ADD);
            trace.exit(ADD);
            trace.enter(ADD);
            trace.exit(ADD);
            trace.enter(PRICE);
            if (i % 10 == 0)
            {
                trace.raise(PRICE, ISE);
                if (yield)
                {
                    Thread.yield();
                }
                trace.raise(CHECKOUT, ISE);
            }
            else
            {
                trace.exit(PRICE);
                if (yield)
                {
                    Thread.yield();
                }
                trace.exit(CHECKOUT);
            }
        }
    }
}
