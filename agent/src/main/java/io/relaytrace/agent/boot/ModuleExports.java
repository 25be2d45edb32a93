package io.relaytrace.agent.boot;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Opens the JDK internals the runtime uses to find a virtual thread's carrier
 * ({@code jdk.internal.access}, {@code jdk.internal.misc}) to the module that holds the runtime,
 * the bootstrap loader's unnamed module, with no command-line flag.
 * <p>
 * Must run before any runtime class that refers to them is loaded: the runtime picks its carrier
 * lookup once, in a static initializer. Only JDK 21+ has virtual threads; on 17 there is nothing to do.
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
        inst.redefineModule(base, Set.of(),
            Map.of("jdk.internal.access", Set.of(runtime), "jdk.internal.misc", Set.of(runtime)),
            Map.of(), Set.of(), Map.of());
    }
}
