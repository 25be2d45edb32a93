package io.relaytrace.agent.instrument;

import io.relaytrace.agent.bootstrap.Recorder;
import io.relaytrace.agent.config.AgentOptions;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.dynamic.scaffold.TypeValidation;

import java.lang.instrument.Instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.any;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.none;

/**
 * Installs the tracing transformer: inlined {@link MethodAdvice} and {@link ConstructorAdvice} (with
 * {@link ConstructorThrowHandler} for a constructor's exceptional exit) on the methods the options trace, in classes loaded from now on and, by retransformation, in
 * matching classes already loaded (an attach). Class files keep their shape (no new members), so
 * {@link ResettableClassFileTransformer#reset} can later restore the original bytecode.
 * <p>
 * Example: {@code Instrumenter.install(inst, options, recorder)} in premain; on detach,
 * {@code transformer.reset(inst, RedefinitionStrategy.RETRANSFORMATION)} with the same
 * {@link Instrumentation} that installed it.
 */
public final class Instrumenter
{
    private Instrumenter()
    {
    }

    /**
     * @param inst     the instrumentation of the agent load that owns the transformer.
     * @param options  which methods to trace.
     * @param recorder where method ids and their definitions go.
     * @return the installed transformer.
     */
    public static ResettableClassFileTransformer install(
        final Instrumentation inst, final AgentOptions options, final Recorder recorder)
    {
        ByteBuddySettings.safeMode();
        final MethodIds ids = new MethodIds(recorder);
        final Advice.WithCustomMapping mapping = Advice.withCustomMapping().bind(new MethodIdMapping(ids));
        final AsmVisitorWrapper methodAdvice = mapping.to(MethodAdvice.class).on(TracedMethods.methods(options));
        final AsmVisitorWrapper constructorAdvice = mapping.to(ConstructorAdvice.class).on(TracedMethods.constructors(options));
        // Visited first, so it is the innermost wrapper and sees the code the advice produced.
        final AsmVisitorWrapper constructorThrows = new AsmVisitorWrapper.ForDeclaredMethods()
            .constructor(TracedMethods.constructors(options), new ConstructorThrowHandler(ids));

        // Byte Buddy leaves synthetic methods out of a redefinition by default; lambda bodies
        // are synthetic and traced, so nothing is left out here (TracedMethods decides).
        return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED).ignore(none()))
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.PoolStrategy.Default.FAST)
            .with(new FailureListener())
            .ignore(new NeverTraced().or(isSynthetic()))
            .or(any(), isBootstrapClassLoader())
            .type(new TracedTypes(options))
            .transform((builder, type, loader, module, domain) ->
                builder.visit(constructorThrows).visit(methodAdvice).visit(constructorAdvice))
            .installOn(inst);
    }
}
