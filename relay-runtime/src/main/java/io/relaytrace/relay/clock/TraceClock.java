package io.relaytrace.relay.clock;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * The clock of every timestamp in a trace: nanoseconds on {@code System.nanoTime()}'s time line,
 * read from the CPU's time-stamp counter where that is safe, and from {@code System.nanoTime()}
 * otherwise.
 * <p>
 * Why: {@code System.nanoTime()} costs about 26 ns on the virtual machines we measured (a vDSO
 * {@code clock_gettime} with a serialising counter read and a seqlock), more than everything else
 * an event costs; the counter read itself costs about 11 ns. A traced call pays for two
 * timestamps, so the clock decides most of the overhead (docs/PERFORMANCE.md).
 * <p>
 * How: the counter is linked on a thread of its own (see {@link #choose()}); until then, and for
 * good where it cannot be used, {@link #now()} is {@code System.nanoTime()}. Counter ticks become
 * nanoseconds by a straight line ({@link ClockScale}) fitted once linked (a 2 ms comparison with
 * {@code System.nanoTime()}, set never behind it, so the switch-over does not step back), then
 * corrected about once a second by {@link #calibrate()}, which the channels' flusher threads call: the slope follows the
 * counter's rate measured since the start, plus a correction of at most 100 ppm that steers the
 * line back onto {@code System.nanoTime()} within about a second (the kernel's own clock slews the
 * same way). Each new line starts where the old one stands at a switch point a little ahead of
 * the refit ({@link ClockScale}), so the clock never jumps.
 * <p>
 * Guarantees:
 * <ul>
 *   <li>{@link #now()} never allocates, blocks or throws; with the counter it is a volatile read,
 *       one native call (no thread-state transition) and a multiply-add.</li>
 *   <li>Timestamps agree with {@code System.nanoTime()} of the same JVM to within tens of
 *       microseconds once calibrated, so the trace header's clock origin holds for both.</li>
 *   <li>Read by one thread, the clock does not go backwards (but for the rounding of a nanosecond),
 *       unless the thread is held up for longer than {@code SWITCH_LEAD_NANOS} (10 ms) between reading
 *       the counter and converting it, across a refit; then by at most that time's share of the
 *       slope change (100 ppm of 10 ms: 1 us).</li>
 * </ul>
 * Limits: the counter is used only on Linux x86-64 with an invariant counter that the kernel uses
 * as its clocksource, on JDK 22+, and when the agent has opened what {@link TscLink} needs;
 * {@link #source()} says which clock is in use and why.
 * <p>
 * Example: {@code memory.putLong(at + TIMESTAMP_OFFSET, TraceClock.now());}
 */
public final class TraceClock
{
    private static final long CALIBRATION_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long FIRST_FIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How fast the line is steered back onto System.nanoTime(): at most 100 us per second. */
    private static final double MAX_SLEW = 1e-4;
    /** How far ahead of a refit the new slope starts (see ClockScale). */
    private static final long SWITCH_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final int PAIR_ATTEMPTS = 5;
    private static final String PENDING = "tsc pending";
    private static final long LINK_DELAY_MILLIS = 250;

    private static volatile String source;
    private static volatile MethodHandle ticks;
    /** Null until the counter is linked and fitted: {@link #now()} reads the counter once it is set. */
    private static volatile ClockScale scale;

    // Calibration state: the linking thread's, then the flusher threads', under the class lock.
    private static long firstTicks;
    private static long firstNanos;
    private static long lastCalibrationNanos;
    private static long pairTicks;
    private static long pairNanos;

    static
    {
        // Nothing here may be slow: this runs in the application's start-up (the first channel's
        // open). Method handles are left to the linking thread too.
        source = choose();
    }

    private TraceClock()
    {
    }

    /**
     * @return the current time in nanoseconds, on {@code System.nanoTime()}'s time line.
     */
    public static long now()
    {
        if (scale == null)
        {
            return System.nanoTime();
        }
        // The counter first, then the scale: a scale published in between converts this reading
        // exactly as the one before it would have (ClockScale).
        final long ticks = LinkedCounter.ticks();
        return scale.toNanos(ticks);
    }

    /**
     * @return {@code tsc}; {@code tsc pending} while the counter is being linked (timestamps come
     *     from {@code System.nanoTime()} until then); or {@code nanotime} with the reason the
     *     counter is not used.
     */
    public static String source()
    {
        return source;
    }

    /**
     * Waits until the counter is in use or known to be unusable; for tests and benchmarks.
     *
     * @param timeoutMillis how long to wait at most.
     * @return {@link #source()} then.
     * @throws InterruptedException if interrupted while waiting.
     */
    public static String awaitSource(final long timeoutMillis) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (source.startsWith(PENDING) && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(1);
        }
        return source;
    }

    /**
     * Decides between the clocks. Linking the counter costs the foreign function API's first use
     * (100-800 ms of class spinning measured on a loaded 2-core machine), far too long to spend
     * in the application's start-up: it is done on a thread of its own, and {@link #now()}
     * switches over when it is done. Both clocks are on the same time line, so nothing in a trace
     * shows the switch.
     */
    private static String choose()
    {
        if (!ClockSettings.tscAllowed())
        {
            return "nanotime (clock=nanotime)";
        }
        if (Runtime.version().feature() < 22)
        {
            return "nanotime (the time-stamp counter needs JDK 22+)";
        }
        try
        {
            TscLink.checkPlatform();
        }
        catch (final UnsupportedOperationException ex)
        {
            return "nanotime (" + ex.getMessage() + ")";
        }
        final Thread linker = new Thread(new CounterLinker(), "relaytrace-clock");
        linker.setDaemon(true);
        linker.start();
        return PENDING + " (System.nanoTime() until the counter is linked)";
    }

    /**
     * Links the counter a quarter of a second after the first channel opened, once the agent's
     * premain is over: the linking's hundreds of milliseconds of CPU would otherwise compete with it
     * (on two cores, it added about 90 ms to the time to main); not later, because until then every
     * event pays for {@code System.nanoTime()}. A class, not a lambda: a lambda's first use
     * bootstraps invokedynamic, tens of milliseconds of start-up.
     */
    private static final class CounterLinker implements Runnable
    {
        @Override
        public void run()
        {
            try
            {
                Thread.sleep(LINK_DELAY_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                source = "nanotime (linking the counter was interrupted)";
                return;
            }
            linkCounter();
        }
    }

    private static void linkCounter()
    {
        try
        {
            ticks = TscLink.link();
        }
        catch (final UnsupportedOperationException | LinkageError ex)
        {
            source = "nanotime (" + ex.getMessage() + ")";
            return;
        }
        LinkedCounter.ticks(); // initialised here, not in an application thread's first event
        firstFit(); // publishes the scale: from now on, now() reads the counter
        source = "tsc";
    }

    /** @return the linked counter read, for {@link LinkedCounter}'s constant. */
    static MethodHandle linkedTicks()
    {
        return ticks;
    }

    /**
     * Refits the line if a calibration is due; cheap otherwise. Called by the flusher threads.
     */
    public static void calibrate()
    {
        if (scale != null)
        {
            calibrate(false);
        }
    }

    /**
     * @param force true to refit now, however recent the last fit (but never before the last
     *              fit's switch point has passed).
     * @return the offset from {@code System.nanoTime()} measured before this fit, in nanoseconds
     *     (positive: the clock was behind), or 0 if nothing was done.
     */
    static synchronized long calibrate(final boolean force)
    {
        if (scale == null || (!force && System.nanoTime() - lastCalibrationNanos < CALIBRATION_INTERVAL_NANOS))
        {
            return 0;
        }
        final ClockScale current = scale;
        samplePair();
        if (pairTicks - current.switchTicks < 0)
        {
            return 0;
        }
        final long offset = pairNanos - current.toNanos(pairTicks);
        final double rate = (double)(pairNanos - firstNanos) / (pairTicks - firstTicks);
        final double slew = Math.max(-MAX_SLEW, Math.min(MAX_SLEW, (double)offset / CALIBRATION_INTERVAL_NANOS));
        final long switchTicks = pairTicks + (long)(SWITCH_LEAD_NANOS / current.nanosPerTickAfter);
        scale = new ClockScale(switchTicks, current.toNanos(switchTicks), current.nanosPerTickAfter, rate * (1 + slew));
        lastCalibrationNanos = pairNanos;
        return offset;
    }

    private static synchronized void firstFit()
    {
        samplePair();
        firstTicks = pairTicks;
        firstNanos = pairNanos;
        while (System.nanoTime() - firstNanos < FIRST_FIT_NANOS)
        {
            Thread.onSpinWait();
        }
        final long width = samplePair();
        final double rate = (double)(pairNanos - firstNanos) / (pairTicks - firstTicks);
        // The nanoTime read lies somewhere in the pair's bracket: half its width ahead keeps the
        // first counter reading from falling behind a nanoTime reading just before the switch.
        scale = new ClockScale(pairTicks, pairNanos + (long)(width * rate / 2) + 1, rate, rate);
        lastCalibrationNanos = pairNanos;
    }

    /**
     * The tightest of a few (ticks, nanoTime) readings: the counter read on both sides of the clock.
     *
     * @return the bracket's width in ticks.
     */
    private static long samplePair()
    {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < PAIR_ATTEMPTS; i++)
        {
            final long before = LinkedCounter.ticks();
            final long nanos = System.nanoTime();
            final long after = LinkedCounter.ticks();
            if (after - before < best)
            {
                best = after - before;
                pairTicks = before + (after - before) / 2;
                pairNanos = nanos;
            }
        }
        return best;
    }
}
