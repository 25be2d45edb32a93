package io.relaytrace.relay.clock;

import java.lang.invoke.MethodHandle;

/**
 * The time-stamp counter's read as a constant the JIT can inline: a static final handle, which is
 * why this class is initialised only after {@link TraceClock} has linked the counter (by the
 * linking thread itself, before any other thread is sent here).
 */
final class LinkedCounter
{
    private static final MethodHandle TICKS = TraceClock.linkedTicks();

    private LinkedCounter()
    {
    }

    static long ticks()
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
