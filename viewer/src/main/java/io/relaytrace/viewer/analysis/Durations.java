package io.relaytrace.viewer.analysis;

import java.util.Locale;

/** Human-readable durations for text output: {@code 850ns}, {@code 12.3us}, {@code 4.56ms}, {@code 1.23s}. */
public final class Durations
{
    private Durations()
    {
    }

    public static String format(final long nanos)
    {
        final long abs = Math.abs(nanos);
        if (abs < 1_000)
        {
            return nanos + "ns";
        }
        if (abs < 1_000_000)
        {
            return String.format(Locale.ROOT, "%.1fus", nanos / 1e3);
        }
        if (abs < 1_000_000_000)
        {
            return String.format(Locale.ROOT, "%.2fms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }
}
