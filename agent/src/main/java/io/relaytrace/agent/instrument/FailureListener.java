package io.relaytrace.agent.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.utility.JavaModule;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts classes that could not be instrumented (they run untraced) and says so once on stderr:
 * one line, never a stack trace.
 */
final class FailureListener extends AgentBuilder.Listener.Adapter
{
    private final AtomicLong failures = new AtomicLong();

    @Override
    public void onError(
        final String typeName, final ClassLoader classLoader, final JavaModule module, final boolean loaded,
        final Throwable throwable)
    {
        if (failures.getAndIncrement() == 0)
        {
            System.err.println("relaytrace: cannot instrument " + typeName + " (" + throwable +
                "); it runs untraced, further such failures are only counted");
        }
    }

    long failures()
    {
        return failures.get();
    }
}
