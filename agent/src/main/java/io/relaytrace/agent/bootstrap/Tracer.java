package io.relaytrace.agent.bootstrap;

/**
 * What the inlined advice calls: static, tiny, and safe to call before and after a trace. The
 * advice in every instrumented class refers to this class, so it lives on the bootstrap class
 * path where every class loader can see it.
 * <p>
 * Guarantees: never throws; does nothing while no {@link Recorder} is installed (before the agent
 * starts, after detach, when the trace could not be set up). An event whose recording failed so
 * early that the recorder could not count it (a stack overflow at the recorder's entry) is counted
 * here, with no method call, which at the edge of the stack would overflow in turn.
 */
public final class Tracer
{
    /** Guards {@link #callFailures}: taken only when recording an event failed. */
    public static final Object CALL_FAILURE_LOCK = new Object();
    /**
     * Events that could not be recorded because something threw, not yet handed to the channel:
     * counted where the failure was caught, by the recorder, by this class, or by the traced method
     * itself when its very call into this class threw (a stack overflow at the call), each without a
     * method call, which at the edge of the stack would overflow in turn; handed to the channel by
     * the recorder ({@link Recorder#reportFailures()}). Guarded by {@link #CALL_FAILURE_LOCK};
     * public because the instrumented code of every class updates it.
     */
    public static long callFailures;

    private static volatile Recorder recorder;

    private Tracer()
    {
    }

    public static void enter(final int methodId)
    {
        final Recorder recorder = Tracer.recorder;
        if (recorder != null)
        {
            try
            {
                recorder.enter(methodId);
            }
            catch (final Throwable t)
            {
                // Escaped the recorder before it counted the event: an overflow at its entry or at
                // its own count. Counted here without a call (Recorder.countFailure, inlined).
                synchronized (CALL_FAILURE_LOCK)
                {
                    callFailures++;
                }
            }
        }
    }

    public static void exit(final int methodId)
    {
        final Recorder recorder = Tracer.recorder;
        if (recorder != null)
        {
            try
            {
                recorder.exit(methodId);
            }
            catch (final Throwable t)
            {
                // Escaped the recorder before it counted the event: an overflow at its entry or at
                // its own count. Counted here without a call (Recorder.countFailure, inlined).
                synchronized (CALL_FAILURE_LOCK)
                {
                    callFailures++;
                }
            }
        }
    }

    public static void exitThrow(final int methodId, final Throwable thrown)
    {
        final Recorder recorder = Tracer.recorder;
        if (recorder != null)
        {
            try
            {
                recorder.exitThrow(methodId, thrown);
            }
            catch (final Throwable t)
            {
                // Escaped the recorder before it counted the event: an overflow at its entry or at
                // its own count. Counted here without a call (Recorder.countFailure, inlined).
                synchronized (CALL_FAILURE_LOCK)
                {
                    callFailures++;
                }
            }
        }
    }

    /** @param recorder where events go from now on. */
    public static void install(final Recorder recorder)
    {
        Tracer.recorder = recorder;
    }

    /** Stops recording if {@code recorder} is the one installed. */
    public static void uninstall(final Recorder recorder)
    {
        if (Tracer.recorder == recorder)
        {
            Tracer.recorder = null;
        }
    }

    /** @return the recorder installed, or null. */
    public static Recorder current()
    {
        return Tracer.recorder;
    }
}
