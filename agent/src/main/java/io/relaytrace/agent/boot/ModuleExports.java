package io.relaytrace.agent.boot;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Opens the JDK internals the runtime uses to the module that holds the runtime, the bootstrap
 * loader's unnamed module, with no command-line flag: {@code jdk.internal.access} and
 * {@code jdk.internal.misc} to find a virtual thread's carrier (JDK 21+), and, on JDK 22+,
 * {@code java.lang.invoke} to link the time-stamp counter read of {@code TraceClock} without a
 * restricted-method warning. The application's own module (another unnamed module) gains nothing.
 * <p>
 * Must run before any runtime class that refers to them is loaded: the runtime picks its carrier
 * lookup and its clock once, in static initializers. On 17 there is nothing to do.
 */
public final class ModuleExports
{
    private ModuleExports()
    {
    }

    /**
     * @param inst    the instrumentation of this agent load.
     * @param runtime the bootstrap loader's unnamed module (from {@link BootstrapJar#append}).
     */
    public static void exportCarrierInternals(final Instrumentation inst, final Module runtime)
    {
        if (Runtime.version().feature() < 21)
        {
            return;
        }
        final Module base = Object.class.getModule();
        final Map<String, Set<Module>> opens = Runtime.version().feature() >= 22
            ? Map.of("java.lang.invoke", Set.of(runtime))
            : Map.of();
        inst.redefineModule(base, Set.of(),
            Map.of("jdk.internal.access", Set.of(runtime), "jdk.internal.misc", Set.of(runtime)),
            opens, Set.of(), Map.of());
    }
}
