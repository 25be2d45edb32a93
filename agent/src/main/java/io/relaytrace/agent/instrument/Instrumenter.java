package io.relaytrace.agent.instrument;

import io.relaytrace.agent.bootstrap.Recorder;
import io.relaytrace.agent.config.AgentOptions;

import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.List;

/**
 * The tracing transformer's life in a JVM: installed for the classes loaded from now on and, by
 * retransformation, for matching classes already loaded (an attach); removed at the end of the
 * trace, optionally giving every class it changed its original code back (a detach: the JVM
 * retransforms from the class file it loaded, without this transformer). Class files keep their
 * shape (no new members), which retransformation requires.
 * <p>
 * Example: {@code Instrumenter.install(inst, options, recorder)} in premain; {@code restore()} on
 * detach, {@code remove()} at JVM exit. Not thread-safe: the caller serialises install and removal.
 */
public final class Instrumenter
{
    private final Instrumentation inst;
    private final TracingTransformer transformer;

    private Instrumenter(final Instrumentation inst, final TracingTransformer transformer)
    {
        this.inst = inst;
        this.transformer = transformer;
    }

    /**
     * @param inst     the instrumentation of the agent load that owns the transformer; it must
     *                 support retransformation.
     * @param options  which methods to trace.
     * @param recorder where method ids and their definitions go.
     * @return the installed transformer.
     */
    public static Instrumenter install(final Instrumentation inst, final AgentOptions options, final Recorder recorder)
    {
        final TracingTransformer transformer =
            new TracingTransformer(options, new MethodIds(recorder), TransformFailures.instrumenting());
        inst.addTransformer(transformer, true);
        retransform(inst, transformer.loadedClassesToTrace(inst), transformer.failures());
        return new Instrumenter(inst, transformer);
    }

    /** Removes the transformer and gives the classes it changed their original code back. */
    public void restore()
    {
        inst.removeTransformer(transformer);
        retransform(inst, transformer.loadedClassesChanged(inst), TransformFailures.restoring());
    }

    /** Removes the transformer; classes keep the code they have (at JVM exit, restoring would only cost time). */
    public void remove()
    {
        inst.removeTransformer(transformer);
    }

    /**
     * All at once, which is one safepoint; if the JVM refuses the batch (it applies all or nothing),
     * one by one, so that one class it refuses leaves the others done.
     */
    private static void retransform(final Instrumentation inst, final List<Class<?>> classes, final TransformFailures failures)
    {
        if (classes.isEmpty())
        {
            return;
        }
        try
        {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
        }
        catch (final UnmodifiableClassException | RuntimeException | LinkageError batchFailure)
        {
            for (final Class<?> type : classes)
            {
                try
                {
                    inst.retransformClasses(type);
                }
                catch (final UnmodifiableClassException | RuntimeException | LinkageError ex)
                {
                    failures.record(type.getName(), ex);
                }
            }
        }
    }
}
