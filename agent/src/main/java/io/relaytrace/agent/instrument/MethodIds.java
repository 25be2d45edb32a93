package io.relaytrace.agent.instrument;

import io.relaytrace.agent.bootstrap.Recorder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Trace ids of methods, one per class name, method name and descriptor for the life of a trace.
 * Asked at transform time, once per traced method (and again when a class is retransformed, or a
 * class of the same name is loaded by another loader), so it remembers: a method keeps one id, and
 * its METHOD_DEF is written once, before the class that uses the id can run. Thread-safe.
 */
final class MethodIds
{
    private final Recorder recorder;
    private final Map<String, Integer> ids = new ConcurrentHashMap<>();

    MethodIds(final Recorder recorder)
    {
        this.recorder = recorder;
    }

    /**
     * @param className  binary name with dots.
     * @param methodName name in the class file.
     * @param descriptor JVM descriptor.
     * @param access     access flags (a synthetic lambda body gets a readable name).
     * @return the method's id.
     */
    int idOf(final String className, final String methodName, final String descriptor, final int access)
    {
        final String key = className + '.' + methodName + descriptor;
        final Integer known = ids.get(key);
        if (known != null)
        {
            return known;
        }
        // Not computeIfAbsent with a lambda: its first use costs the agent's start a lambda class.
        synchronized (this)
        {
            final Integer defined = ids.get(key);
            if (defined != null)
            {
                return defined;
            }
            final int id = recorder.defineMethod(
                className, MethodNames.readable(methodName, (access & 0x1000) != 0), descriptor, access);
            ids.put(key, id);
            return id;
        }
    }
}
