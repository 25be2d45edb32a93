package io.relaytrace.agent.instrument;

import io.relaytrace.agent.config.AgentOptions;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tracing transformer. Decides from the class's loader and name alone whether to look at a
 * class (most classes cost a null check and a few string comparisons); only then parses it, with
 * {@link TracedClassVisitor}. Never loads a class itself. Remembers the names of the classes it
 * changed, so that a detach can give them their original code back.
 * <p>
 * Guarantees: never throws into the JVM; a class that cannot be instrumented is loaded as it was,
 * counted, and the first such failure is one line on stderr ({@link TransformFailures}).
 * Thread-safe: classes load on any thread.
 */
final class TracingTransformer implements ClassFileTransformer
{
    private final AgentOptions options;
    private final MethodIds ids;
    private final TransformFailures failures;
    private final Set<String> changed = ConcurrentHashMap.newKeySet();

    TracingTransformer(final AgentOptions options, final MethodIds ids, final TransformFailures failures)
    {
        this.options = options;
        this.ids = ids;
        this.failures = failures;
    }

    @Override
    public byte[] transform(
        final ClassLoader loader, final String internalName, final Class<?> classBeingRedefined,
        final ProtectionDomain protectionDomain, final byte[] classFile)
    {
        // The bootstrap loader's classes are never traced: the JDK, and the tracer itself.
        if (loader == null || internalName == null)
        {
            return null;
        }
        final String className = internalName.replace('/', '.');
        if (!TracedTypes.tracesName(options, className))
        {
            return null;
        }
        try
        {
            final byte[] rewritten = TracedClassVisitor.rewrite(classFile, className, options, ids);
            if (rewritten != null)
            {
                changed.add(className);
            }
            return rewritten;
        }
        catch (final Throwable t)
        {
            failures.record(className, t);
            return null;
        }
    }

    /**
     * @param inst the instrumentation to ask.
     * @return the classes loaded now that this transformer would change: an attach retransforms them.
     */
    List<Class<?>> loadedClassesToTrace(final Instrumentation inst)
    {
        final List<Class<?>> classes = new ArrayList<>();
        for (final Class<?> type : inst.getAllLoadedClasses())
        {
            if (type.getClassLoader() != null && !type.isArray() && TracedTypes.tracesAccess(type.getModifiers()) &&
                TracedTypes.tracesName(options, type.getName()) && inst.isModifiableClass(type))
            {
                classes.add(type);
            }
        }
        return classes;
    }

    /**
     * @param inst the instrumentation to ask.
     * @return the classes loaded now whose code this transformer changed: a detach retransforms them
     *         without it. A class of the same name in another loader may be among them, unchanged;
     *         retransforming it changes nothing.
     */
    List<Class<?>> loadedClassesChanged(final Instrumentation inst)
    {
        final List<Class<?>> classes = new ArrayList<>();
        for (final Class<?> type : inst.getAllLoadedClasses())
        {
            if (type.getClassLoader() != null && changed.contains(type.getName()) && inst.isModifiableClass(type))
            {
                classes.add(type);
            }
        }
        return classes;
    }

    /** @return where failures to instrument are counted. */
    TransformFailures failures()
    {
        return failures;
    }
}
