package io.relaytrace.agent.it;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting for a traced JVM to reach a state, with a deadline generous enough for a loaded machine. */
final class Conditions
{
    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private Conditions()
    {
    }

    /**
     * Polls {@code condition} every 200 ms until it holds.
     *
     * @param what what is awaited, for the failure message.
     * @throws AssertionError if it does not hold within 60 s.
     */
    static void await(final BooleanSupplier condition, final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("not within " + TimeUnit.NANOSECONDS.toSeconds(DEADLINE_NANOS) + " s: " + what);
            }
            Thread.sleep(200);
        }
    }
}
