package io.relaytrace.agent.instrument;

import io.relaytrace.agent.config.AgentOptions;

import static org.objectweb.asm.Opcodes.ACC_ABSTRACT;
import static org.objectweb.asm.Opcodes.ACC_BRIDGE;
import static org.objectweb.asm.Opcodes.ACC_NATIVE;

/**
 * The methods of a transformed class that get traced: those the options trace, with a body
 * (not abstract, not native), not bridges (a bridge only forwards to the method it bridges, which is
 * traced itself; tracing both would count one call twice), and not type initialisers. Synthetic
 * methods count: javac compiles lambda bodies to them.
 */
final class TracedMethods
{
    private static final String TYPE_INITIALISER = "<clinit>";
    private static final int NO_TRACED_BODY = ACC_ABSTRACT | ACC_NATIVE | ACC_BRIDGE;

    private TracedMethods()
    {
    }

    /**
     * @param options   which methods to trace.
     * @param className binary name of the declaring class, with dots.
     * @param name      the method's name in the class file.
     * @param access    the method's access flags.
     * @return true if the method is traced.
     */
    static boolean traces(final AgentOptions options, final String className, final String name, final int access)
    {
        return (access & NO_TRACED_BODY) == 0 && !TYPE_INITIALISER.equals(name) && options.tracesMethod(className, name);
    }
}
