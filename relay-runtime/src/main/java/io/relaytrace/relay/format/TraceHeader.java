package io.relaytrace.relay.format;

import java.util.Map;

/**
 * What a trace's header file says.
 *
 * @param subbufSize      size of one sub-buffer, header included.
 * @param nSubbufs        sub-buffers per buffer.
 * @param cpus            number of per-CPU files, {@code <base>0 .. <base>(cpus-1)}.
 * @param clockNanoTime   {@code System.nanoTime()} at the clock origin.
 * @param clockEpochNanos nanoseconds since 1970-01-01T00:00Z at the same instant.
 * @param pid             the traced JVM's process id.
 * @param properties      free-form facts: JVM, options, start time.
 */
public record TraceHeader(
    int subbufSize,
    int nSubbufs,
    int cpus,
    long clockNanoTime,
    long clockEpochNanos,
    long pid,
    Map<String, String> properties)
{
    /**
     * @param nanoTime a {@code System.nanoTime()} stamp from the traced JVM.
     * @return nanoseconds since the epoch.
     */
    public long toEpochNanos(final long nanoTime)
    {
        return clockEpochNanos + (nanoTime - clockNanoTime);
    }
}
