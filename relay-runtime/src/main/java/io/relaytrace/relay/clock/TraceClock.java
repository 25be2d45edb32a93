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
 * How: counter ticks become nanoseconds by a straight line ({@link ClockScale}) fitted when this
 * class initialises (a 2 ms comparison with {@code System.nanoTime()}), then corrected about once a
 * second by {@link #calibrate()}, which the channels' flusher threads call: the slope follows the
 * counter's rate measured since the start, plus a correction of at most 100 ppm that steers the
 * line back onto {@code System.nanoTime()} within about a second (the kernel's own clock slews the
 * same way). Each new line starts where the old one stands at a switch point a little ahead of
 * the refit ({@link ClockScale}), so the clock never jumps.
 * <p>
 * Guarantees:
 * <ul>
 *   <li>{@link #now()} never allocates, blocks or throws; with the counter it is one native call
 *       (no thread-state transition) and a multiply-add.</li>
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

    private static final MethodHandle TICKS;
    private static final String SOURCE;

    private static volatile ClockScale scale;

    // Calibration state: the flusher threads' only, under the class lock.
    private static long firstTicks;
    private static long firstNanos;
    private static long lastCalibrationNanos;
    private static long pairTicks;
    private static long pairNanos;

    static
    {
        MethodHandle ticks = null;
        String source;
        if (!ClockSettings.tscAllowed())
        {
            source = "nanotime (clock=nanotime)";
        }
        else if (Runtime.version().feature() < 22)
        {
            source = "nanotime (the time-stamp counter needs JDK 22+)";
        }
        else
        {
            try
            {
                ticks = TscLink.link();
                source = "tsc";
            }
            catch (final UnsupportedOperationException | LinkageError ex)
            {
                source = "nanotime (" + ex.getMessage() + ")";
            }
        }
        TICKS = ticks;
        SOURCE = source;
        if (ticks != null)
        {
            firstFit();
        }
    }

    private TraceClock()
    {
    }

    /**
     * @return the current time in nanoseconds, on {@code System.nanoTime()}'s time line.
     */
    public static long now()
    {
        if (TICKS == null)
        {
            return System.nanoTime();
        }
        // The counter first, then the scale: a scale published in between converts this reading
        // exactly as the one before it would have (ClockScale).
        final long ticks = ticks();
        return scale.toNanos(ticks);
    }

    /**
     * @return {@code tsc}, or {@code nanotime} with the reason the counter is not used.
     */
    public static String source()
    {
        return SOURCE;
    }

    /**
     * Refits the line if a calibration is due; cheap otherwise. Called by the flusher threads.
     */
    public static void calibrate()
    {
        if (TICKS != null)
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
        if (TICKS == null || (!force && System.nanoTime() - lastCalibrationNanos < CALIBRATION_INTERVAL_NANOS))
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

    private static void firstFit()
    {
        samplePair();
        firstTicks = pairTicks;
        firstNanos = pairNanos;
        while (System.nanoTime() - firstNanos < FIRST_FIT_NANOS)
        {
            Thread.onSpinWait();
        }
        samplePair();
        final double rate = (double)(pairNanos - firstNanos) / (pairTicks - firstTicks);
        scale = new ClockScale(pairTicks, pairNanos, rate, rate);
        lastCalibrationNanos = pairNanos;
    }

    /** The tightest of a few (ticks, nanoTime) readings: the counter read on both sides of the clock. */
    private static void samplePair()
    {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < PAIR_ATTEMPTS; i++)
        {
            final long before = ticks();
            final long nanos = System.nanoTime();
            final long after = ticks();
            if (after - before < best)
            {
                best = after - before;
                pairTicks = before + (after - before) / 2;
                pairNanos = nanos;
            }
        }
    }

    private static long ticks()
    {
        try
        {
            return (long)TICKS.invokeExact();
        }
        catch (final Throwable t)
        {
            // A critical downcall of four instructions cannot throw; this only satisfies invokeExact.
            throw new IllegalStateException(t);
        }
    }
}
