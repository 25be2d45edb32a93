package io.relaytrace.agent.instrument;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts classes that could not be instrumented (they run untraced), or not restored at detach (they
 * keep calling the tracer, which does nothing then), and says so once on stderr: one line, never a
 * stack trace.
 */
final class TransformFailures
{
    private final AtomicLong failures = new AtomicLong();
    private final String action;
    private final String consequence;

    /**
     * @param action      what could not be done to the class, e.g. {@code "instrument"}.
     * @param consequence what that means for the application, e.g. {@code "it runs untraced"}.
     */
    TransformFailures(final String action, final String consequence)
    {
        this.action = action;
        this.consequence = consequence;
    }

    /** @return the failures of instrumenting classes. */
    static TransformFailures instrumenting()
    {
        return new TransformFailures("instrument", "it runs untraced");
    }

    /** @return the failures of giving classes their original code back. */
    static TransformFailures restoring()
    {
        return new TransformFailures("restore the original code of", "it keeps calling the tracer, which records nothing");
    }

    /**
     * @param className binary name with dots of the class left as it was.
     * @param cause     why.
     */
    void record(final String className, final Throwable cause)
    {
        if (failures.getAndIncrement() == 0)
        {
            System.err.println("relaytrace: cannot " + action + " " + className + " (" + cause + "); " + consequence +
                ", further such failures are only counted");
        }
    }

    /** @return classes that could not be instrumented so far. */
    long count()
    {
        return failures.get();
    }
}
