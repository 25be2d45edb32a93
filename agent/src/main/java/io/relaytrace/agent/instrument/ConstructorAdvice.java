package io.relaytrace.agent.instrument;

import io.relaytrace.agent.bootstrap.Tracer;
import net.bytebuddy.asm.Advice;

/**
 * Inlined around every traced constructor. Byte Buddy cannot add exit advice on exceptions to a
 * constructor (a handler around the {@code super(...)} call would see an uninitialised
 * {@code this}); {@link ConstructorThrowHandler} records those exits instead.
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
