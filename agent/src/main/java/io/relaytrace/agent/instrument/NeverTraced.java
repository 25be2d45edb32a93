package io.relaytrace.agent.instrument;

/**
 * Classes the agent never instruments, whatever the options say: the agent itself and its shaded
 * libraries, the relay runtime, and the JDK (the code the recorder calls, and the virtual-thread
 * scheduler, which runs between a virtual thread's events). {@code javax.*} is left to the options:
 * applications ship such packages themselves (servlet containers). Lambda proxies are hidden
 * classes the JVM does not let agents change.
 */
final class NeverTraced
{
    private static final String[] PREFIXES = {
        "io.relaytrace.agent.",
        "io.relaytrace.relay.",
        "io.relaytrace.event.",
        "java.",
        "jdk.",
        "sun.",
        "com.sun.",
    };

    private NeverTraced()
    {
    }

    /**
     * @param className binary name with dots.
     * @return true if the class is never instrumented.
     */
    static boolean isNeverTraced(final String className)
    {
        for (final String prefix : PREFIXES)
        {
            if (className.startsWith(prefix))
            {
                return true;
            }
        }
        return className.contains("$$Lambda");
    }
}
