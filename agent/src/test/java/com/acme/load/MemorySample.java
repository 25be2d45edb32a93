package com.acme.load;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * One sample of the memory the traced JVM uses, taken right after an explicit full GC so that the
 * heap figure is what is live, and direct buffers no longer referenced are freed (after a pause for
 * their cleaners). Printed as one
 * line of {@code key=value} pairs that the test parses: {@code heap} used bytes after the GC,
 * {@code waitingInAgent} application threads waiting inside the tracer,
 * {@code direct}/{@code directCount} and {@code mapped}/{@code mappedCount} from the JVM's buffer
 * pools, and the agent's counters as its {@code status} shows them (at most a second old).
 */
final class MemorySample
{
    private static final String STATUS_PROPERTY = "relaytrace.status";
    /**
     * Direct buffers are freed by their cleaners after the GC found them unreachable, on the
     * reference handler thread: a pause lets it run (it competes with hundreds of busy threads).
     */
    private static final long CLEANER_PAUSE_MILLIS = 200;

    private final String line;
    private final long bufferMemory;

    private MemorySample(final String line, final long bufferMemory)
    {
        this.line = line;
        this.bufferMemory = bufferMemory;
    }

    /** @return the sample as printed. */
    String line()
    {
        return line;
    }

    /** @return direct plus mapped buffer memory in the sample. */
    long bufferMemory()
    {
        return bufferMemory;
    }

    /**
     * @param phase what the workload is doing ({@code run} or {@code after}).
     * @param second seconds since the workload started.
     * @param extra  the workload's own counters, {@code key=value} pairs.
     * @return the sample.
     */
    static MemorySample take(final String phase, final long second, final String extra) throws InterruptedException
    {
        System.gc();
        Thread.sleep(CLEANER_PAUSE_MILLIS);
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long buffers = 0;
        final StringBuilder line = new StringBuilder("load sample phase=").append(phase)
            .append(" t=").append(second)
            .append(" heap=").append(heap);
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()) || "mapped".equals(pool.getName()))
            {
                final long used = pool.getMemoryUsed();
                buffers += used;
                line.append(' ').append(pool.getName()).append('=').append(used)
                    .append(' ').append(pool.getName()).append("Count=").append(pool.getCount());
            }
        }
        final StringBuilder where = new StringBuilder();
        line.append(" waitingInAgent=").append(platformThreadsWaitingInAgent(where));
        if (where.length() > 0)
        {
            line.append(" waitingAt=").append(where);
        }
        line.append(' ').append(extra);
        final String status = System.getProperty(STATUS_PROPERTY, "");
        final int counters = status.indexOf(" events=");
        line.append(" agent:").append(counters < 0 ? " none" : status.substring(counters));
        return new MemorySample(line.toString(), buffers);
    }

    /**
     * @param where receives, for the first such thread, its state and its frames from the top down
     *     to the outermost relaytrace frame ({@code STATE:frame<frame<...}, no spaces), to tell
     *     where the tracer made it wait.
     * @return platform threads that are blocked or waiting (on a monitor, a lock, a park) with a
     *     relaytrace frame on their stack: an application thread waiting for the tracer, which the
     *     write path must never make it do. (Virtual threads are not visible to the MXBean.)
     */
    static int platformThreadsWaitingInAgent(final StringBuilder where)
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int waiting = 0;
        for (final ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 64))
        {
            if (info == null || info.getThreadState() == Thread.State.RUNNABLE || info.getThreadName().startsWith("relaytrace-"))
            {
                continue;
            }
            final StackTraceElement[] stack = info.getStackTrace();
            int outermost = -1;
            for (int i = 0; i < stack.length; i++)
            {
                if (stack[i].getClassName().startsWith("io.relaytrace."))
                {
                    outermost = i;
                }
            }
            if (outermost >= 0)
            {
                if (waiting++ == 0)
                {
                    where.append(info.getThreadState());
                    for (int i = 0; i <= outermost; i++)
                    {
                        where.append(i == 0 ? ':' : '<').append(stack[i].getClassName()).append('.').append(stack[i].getMethodName());
                    }
                }
            }
        }
        return waiting;
    }
}

