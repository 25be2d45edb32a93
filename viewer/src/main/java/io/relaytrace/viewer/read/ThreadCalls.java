package io.relaytrace.viewer.read;

import java.util.Arrays;

/**
 * One thread's call stack as rebuilt from its events, with its counts. The stack belongs to the
 * thread, not to a carrier: a virtual thread's calls continue wherever it is mounted. Memory
 * grows with the deepest stack, not with the number of calls.
 */
public final class ThreadCalls
{
    private final long threadId;
    // Small at first: a trace may hold a million virtual threads, most with shallow stacks.
    private int[] methods = new int[4];
    private long[] starts = new long[4];
    private long[] childNanos = new long[4];
    private int depth;

    private long events;
    private long calls;
    private long orphanExits;
    private long unclosed;
    private long cutByLoss;
    private long firstTimestamp = Long.MAX_VALUE;
    private long lastTimestamp = Long.MIN_VALUE;

    /** Whatever a listener wants to keep per thread (a call tree position, say). */
    public Object attachment;

    ThreadCalls(final long threadId)
    {
        this.threadId = threadId;
    }

    public long threadId()
    {
        return threadId;
    }

    /** @return calls open now. */
    public int depth()
    {
        return depth;
    }

    /** @return the method of the open call at {@code level}, 0 the outermost. */
    public int methodAt(final int level)
    {
        return methods[level];
    }

    /** @return ENTER, EXIT and THROW events of this thread. */
    public long events()
    {
        return events;
    }

    /** @return calls completed. */
    public long calls()
    {
        return calls;
    }

    /** @return exits with no matching call open: the trace began inside them. */
    public long orphanExits()
    {
        return orphanExits;
    }

    /** @return calls never completed: the trace ended inside them, or a caller's exit closed them. */
    public long unclosed()
    {
        return unclosed;
    }

    /** @return calls cut because events were lost while they were open. */
    public long cutByLoss()
    {
        return cutByLoss;
    }

    public long firstTimestamp()
    {
        return firstTimestamp;
    }

    public long lastTimestamp()
    {
        return lastTimestamp;
    }

    void seen(final long timestamp)
    {
        events++;
        firstTimestamp = Math.min(firstTimestamp, timestamp);
        lastTimestamp = Math.max(lastTimestamp, timestamp);
    }

    void push(final int methodId, final long timestamp)
    {
        if (depth == methods.length)
        {
            methods = Arrays.copyOf(methods, depth * 2);
            starts = Arrays.copyOf(starts, depth * 2);
            childNanos = Arrays.copyOf(childNanos, depth * 2);
        }
        methods[depth] = methodId;
        starts[depth] = timestamp;
        childNanos[depth] = 0;
        depth++;
    }

    /** @return the level of the innermost open call of {@code methodId}, or -1. */
    int find(final int methodId)
    {
        for (int level = depth - 1; level >= 0; level--)
        {
            if (methods[level] == methodId)
            {
                return level;
            }
        }
        return -1;
    }

    /** Pops the innermost call as completed at {@code end}. */
    void complete(final long end, final boolean exceptional, final CallListener listener)
    {
        final int top = depth - 1;
        final long duration = end - starts[top];
        listener.exit(this, methods[top], starts[top], end, childNanos[top], exceptional);
        depth = top;
        calls++;
        if (top > 0)
        {
            childNanos[top - 1] += duration;
        }
    }

    /** Pops the innermost call as never completed. */
    void abandon(final CallListener listener)
    {
        final int top = depth - 1;
        listener.unclosed(this, methods[top], starts[top]);
        depth = top;
        unclosed++;
    }

    /** Pops the innermost call as cut by a loss of events. */
    void cut(final CallListener listener)
    {
        final int top = depth - 1;
        listener.cut(this, methods[top], starts[top]);
        depth = top;
        cutByLoss++;
    }

    void orphanExit()
    {
        orphanExits++;
    }
}
