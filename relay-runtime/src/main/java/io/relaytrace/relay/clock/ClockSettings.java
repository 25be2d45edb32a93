package io.relaytrace.relay.clock;

/**
 * What the user allows {@link TraceClock} to use, read once when it initialises: set it before the
 * first channel opens. A separate class so that setting it does not initialise the clock.
 */
public final class ClockSettings
{
    private static volatile boolean tscAllowed = true;

    private ClockSettings()
    {
    }

    /**
     * @param allowed false to stamp events with {@code System.nanoTime()} even where the
     *                time-stamp counter is usable.
     */
    public static void allowTsc(final boolean allowed)
    {
        tscAllowed = allowed;
    }

    static boolean tscAllowed()
    {
        return tscAllowed;
    }
}
