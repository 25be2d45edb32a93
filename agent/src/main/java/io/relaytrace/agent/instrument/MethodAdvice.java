package io.relaytrace.agent.instrument;

import io.relaytrace.agent.bootstrap.Tracer;
import net.bytebuddy.asm.Advice;

/**
 * Inlined around every traced method (not constructors: see {@link ConstructorAdvice}). The id is
 * a constant in the instrumented code; {@link Tracer} never throws, and {@code suppress} swallows
 * anything else (a missing bootstrap class, say), so the application never sees the tracer fail.
 */
final class MethodAdvice
{
    private MethodAdvice()
    {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@MethodId final int methodId)
    {
        Tracer.enter(methodId);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@MethodId final int methodId, @Advice.Thrown final Throwable thrown)
    {
        if (thrown == null)
        {
            Tracer.exit(methodId);
        }
        else
        {
            Tracer.exitThrow(methodId, thrown);
        }
    }
}
