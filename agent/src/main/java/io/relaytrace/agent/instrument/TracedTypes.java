package io.relaytrace.agent.instrument;

import io.relaytrace.agent.config.AgentOptions;

import static org.objectweb.asm.Opcodes.ACC_ANNOTATION;
import static org.objectweb.asm.Opcodes.ACC_MODULE;
import static org.objectweb.asm.Opcodes.ACC_SYNTHETIC;

/**
 * The classes worth transforming, decided in two steps so that most classes cost a string check:
 * by name (not {@link NeverTraced}, and the options may trace some of its methods), then by the
 * class file's access flags (not an annotation, synthetic or a module descriptor). Interfaces count:
 * their default, static and private methods (lambda bodies among them) have code.
 */
final class TracedTypes
{
    private static final int NEVER_TRACED_ACCESS = ACC_ANNOTATION | ACC_SYNTHETIC | ACC_MODULE;

    private TracedTypes()
    {
    }

    /**
     * @param options   which methods to trace.
     * @param className binary name with dots.
     * @return true if some methods of a class of that name may be traced.
     */
    static boolean tracesName(final AgentOptions options, final String className)
    {
        return !NeverTraced.isNeverTraced(className) && options.tracesClass(className);
    }

    /**
     * @param access the class file's access flags.
     * @return true unless the class is an annotation, synthetic, or a module descriptor.
     */
    static boolean tracesAccess(final int access)
    {
        return (access & NEVER_TRACED_ACCESS) == 0;
    }
}
