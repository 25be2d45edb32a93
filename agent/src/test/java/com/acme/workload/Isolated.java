package com.acme.workload;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Runs {@link Recursion#depth} in a second copy of the workload's classes, loaded by a class loader
 * that does not delegate to the application's: its advice must still reach the recorder, which
 * only the bootstrap class path makes visible to every loader.
 */
final class Isolated
{
    private Isolated()
    {
    }

    static long run() throws Exception
    {
        final URL classes = Isolated.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader()))
        {
            final Class<?> copy = Class.forName(Recursion.class.getName(), true, loader);
            if (copy == Recursion.class)
            {
                throw new IllegalStateException("loader=" + loader + " delegated to the application's loader");
            }
            final Method depth = copy.getDeclaredMethod("depth", int.class);
            depth.setAccessible(true);
            return (Long)depth.invoke(null, Workload.ISOLATED_DEPTH);
        }
    }
}
