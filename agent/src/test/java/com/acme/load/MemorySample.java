package com.acme.load;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/**
 * One sample of the memory the traced JVM uses, taken right after an explicit full GC so that the
 * heap figure is what is live, and direct buffers no longer referenced are freed. Printed as one
 * line of {@code key=value} pairs that the test parses: {@code heap} used bytes after the GC,
 * {@code direct}/{@code directCount} and {@code mapped}/{@code mappedCount} from the JVM's buffer
 * pools, and the agent's counters as its {@code status} shows them (at most a second old).
 */
final class MemorySample
{
    private static final String STATUS_PROPERTY = "relaytrace.status";

    private MemorySample()
    {
    }

    /**
     * @param phase what the workload is doing ({@code run} or {@code after}).
     * @param second seconds since the workload started.
     * @param extra  the workload's own counters, {@code key=value} pairs.
     * @return the line to print.
     */
    static String take(final String phase, final long second, final String extra)
    {
        System.gc();
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        final StringBuilder line = new StringBuilder("load sample phase=").append(phase)
            .append(" t=").append(second)
            .append(" heap=").append(heap);
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()) || "mapped".equals(pool.getName()))
            {
                line.append(' ').append(pool.getName()).append('=').append(pool.getMemoryUsed())
                    .append(' ').append(pool.getName()).append("Count=").append(pool.getCount());
            }
        }
        line.append(' ').append(extra);
        final String status = System.getProperty(STATUS_PROPERTY, "");
        final int counters = status.indexOf(" events=");
        line.append(" agent:").append(counters < 0 ? " none" : status.substring(counters));
        return line.toString();
    }

    /** @return direct plus mapped buffer memory in use now (no GC). */
    static long bufferMemory()
    {
        long used = 0;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()) || "mapped".equals(pool.getName()))
            {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }
}
