package io.relaytrace.agent.instrument;

import io.relaytrace.agent.bootstrap.Tracer;
import net.bytebuddy.asm.Advice;

/**
 * Inlined around every traced constructor. The JVM forbids an exception handler around the
 * {@code super(...)} call of a constructor, so Byte Buddy cannot observe a constructor's
 * exceptional exit: a constructor that throws leaves an ENTER without EXIT, which a reader closes
 * when an enclosing frame exits.
 */
final class ConstructorAdvice
{
    private ConstructorAdvice()
    {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@MethodId final int methodId)
    {
        Tracer.enter(methodId);
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@MethodId final int methodId)
    {
        Tracer.exit(methodId);
    }
}
