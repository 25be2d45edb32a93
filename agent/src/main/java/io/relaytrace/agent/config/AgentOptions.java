package io.relaytrace.agent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The agent's options once parsed and checked (see {@link OptionsParser} for the syntax). Immutable.
 * <p>
 * Which methods are traced: a method is traced when some include matches its class and its name,
 * and no exclude does; exclude wins. A class is worth transforming when some include matches it
 * and no exclude covers all of its methods.
 */
public final class AgentOptions
{
    private final String text;
    private final List<MethodPattern> includes;
    private final List<MethodPattern> excludes;
    private final Path output;
    private final TraceMode mode;
    private final int subbufSize;
    private final int subbufs;
    private final long flushIntervalMillis;
    private final int cpus;
    private final boolean mappedBuffers;
    private final boolean tscAllowed;

    AgentOptions(
        final String text,
        final List<MethodPattern> includes,
        final List<MethodPattern> excludes,
        final Path output,
        final TraceMode mode,
        final int subbufSize,
        final int subbufs,
        final long flushIntervalMillis,
        final int cpus,
        final boolean mappedBuffers,
        final boolean tscAllowed)
    {
        this.text = text;
        this.includes = List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
        this.output = output;
        this.mode = mode;
        this.subbufSize = subbufSize;
        this.subbufs = subbufs;
        this.flushIntervalMillis = flushIntervalMillis;
        this.cpus = cpus;
        this.mappedBuffers = mappedBuffers;
        this.tscAllowed = tscAllowed;
    }

    /**
     * @param className binary name with dots, e.g. {@code com.acme.Cart$Item}.
     * @return true if some of its methods may be traced.
     */
    public boolean tracesClass(final String className)
    {
        for (final MethodPattern exclude : excludes)
        {
            if (exclude.coversAllMethods() && exclude.matchesClass(className))
            {
                return false;
            }
        }
        for (final MethodPattern include : includes)
        {
            if (include.matchesClass(className))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param className  binary name with dots.
     * @param methodName name as in the class file, {@code <init>} for a constructor.
     * @return true if the method is traced.
     */
    public boolean tracesMethod(final String className, final String methodName)
    {
        for (final MethodPattern exclude : excludes)
        {
            if (exclude.matchesMethod(className, methodName))
            {
                return false;
            }
        }
        for (final MethodPattern include : includes)
        {
            if (include.matchesMethod(className, methodName))
            {
                return true;
            }
        }
        return false;
    }

    /** @return the options as given (config file entries inlined), for the trace header. */
    public String text()
    {
        return text;
    }

    public List<MethodPattern> includes()
    {
        return includes;
    }

    public List<MethodPattern> excludes()
    {
        return excludes;
    }

    /** @return the trace directory, absolute. */
    public Path output()
    {
        return output;
    }

    public TraceMode mode()
    {
        return mode;
    }

    /** @return bytes per sub-buffer, header included. */
    public int subbufSize()
    {
        return subbufSize;
    }

    public int subbufs()
    {
        return subbufs;
    }

    public long flushIntervalMillis()
    {
        return flushIntervalMillis;
    }

    public int cpus()
    {
        return cpus;
    }

    /** @return true for {@code buffers=mmap}. */
    public boolean mappedBuffers()
    {
        return mappedBuffers;
    }

    /**
     * @return false for {@code clock=nanotime}: stamp events with {@code System.nanoTime()} even where
     *     the CPU's time-stamp counter is usable (see {@code TraceClock}).
     */
    public boolean tscAllowed()
    {
        return tscAllowed;
    }

    @Override
    public String toString()
    {
        return "AgentOptions{" + text + ", output=" + output + '}';
    }
}
