package io.relaytrace.relay.clock;

/**
 * Time-stamp counter ticks to nanoseconds: two straight lines that meet at a switch point, the
 * slope of the previous fit before it and the new fit's after it. Immutable, so a writer reads the
 * whole of it through one reference, and a recalibration replaces it whole.
 * <p>
 * Why two lines: a reader may read the counter, then be held up (preempted) before it converts the
 * reading, while the calibration publishes a new scale. Because the switch point lies ahead of the
 * moment a scale is published, and a scale is replaced only after its switch point has passed,
 * every reading taken before a publication converts to the same value with the old scale and the
 * new one: the clock neither jumps nor steps back at a refit.
 * <p>
 * A {@code double} slope keeps the conversion exact to the nanosecond for any distance from the
 * switch point below 2<sup>53</sup> ticks (about 40 days at 2.6 GHz), with no overflow to guard.
 */
final class ClockScale
{
    final long switchTicks;
    final long switchNanos;
    final double nanosPerTickBefore;
    final double nanosPerTickAfter;

    ClockScale(final long switchTicks, final long switchNanos, final double nanosPerTickBefore, final double nanosPerTickAfter)
    {
        this.switchTicks = switchTicks;
        this.switchNanos = switchNanos;
        this.nanosPerTickBefore = nanosPerTickBefore;
        this.nanosPerTickAfter = nanosPerTickAfter;
    }

    long toNanos(final long ticks)
    {
        final long delta = ticks - switchTicks;
        return switchNanos + (long)(delta * (delta < 0 ? nanosPerTickBefore : nanosPerTickAfter));
    }
}
