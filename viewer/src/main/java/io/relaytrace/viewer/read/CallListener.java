package io.relaytrace.viewer.read;

/**
 * Receives the calls that {@link CallStacks} rebuilds, per thread. Every {@link #enter} is later
 * matched by exactly one {@link #exit}, {@link #unclosed} or {@link #cut}, innermost first, so a listener can
 * keep its own per-thread position (a call tree node, a path) in step with the stack.
 */
public interface CallListener
{
    /** Wants no call: for a pass that needs only the stacks' depths or their loss counts. */
    CallListener NONE = (thread, methodId, start, end, childNanos, exceptional) ->
    {
    };

    /**
     * A call began.
     *
     * @param thread    the thread's stack, after the push.
     * @param methodId  the method.
     * @param timestamp when it began.
     */
    default void enter(final ThreadCalls thread, final int methodId, final long timestamp)
    {
    }

    /**
     * A call completed, by EXIT or by THROW.
     *
     * @param thread      the thread's stack, before the pop: the call is at depth {@code thread.depth() - 1}.
     * @param methodId    the method.
     * @param start       when it began.
     * @param end         when it ended.
     * @param childNanos  time spent in its completed direct callees.
     * @param exceptional true if it ended by THROW.
     */
    void exit(ThreadCalls thread, int methodId, long start, long end, long childNanos, boolean exceptional);

    /**
     * A call never completed: the trace ended inside it, or its exit was lost and an exit of a
     * caller closed it.
     *
     * @param thread   the thread's stack, before the pop.
     * @param methodId the method.
     * @param start    when it began.
     */
    default void unclosed(final ThreadCalls thread, final int methodId, final long start)
    {
    }

    /**
     * A call was cut: events were lost while it was open, so its exit, if it came, cannot be told
     * from a later call's. By default reported as {@link #unclosed}.
     *
     * @param thread   the thread's stack, before the pop.
     * @param methodId the method.
     * @param start    when it began.
     */
    default void cut(final ThreadCalls thread, final int methodId, final long start)
    {
        unclosed(thread, methodId, start);
    }

    /**
     * @return a listener telling {@code first}, then {@code second}, about every call, so that
     *     one pass over the events feeds both (at most one of them may use {@link ThreadCalls#attachment}).
     */
    static CallListener both(final CallListener first, final CallListener second)
    {
        return new CallListener()
        {
            @Override
            public void enter(final ThreadCalls thread, final int methodId, final long timestamp)
            {
                first.enter(thread, methodId, timestamp);
                second.enter(thread, methodId, timestamp);
            }

            @Override
            public void exit(
                final ThreadCalls thread, final int methodId, final long start, final long end, final long childNanos,
                final boolean exceptional)
            {
                first.exit(thread, methodId, start, end, childNanos, exceptional);
                second.exit(thread, methodId, start, end, childNanos, exceptional);
            }

            @Override
            public void unclosed(final ThreadCalls thread, final int methodId, final long start)
            {
                first.unclosed(thread, methodId, start);
                second.unclosed(thread, methodId, start);
            }

            @Override
            public void cut(final ThreadCalls thread, final int methodId, final long start)
            {
                first.cut(thread, methodId, start);
                second.cut(thread, methodId, start);
            }
        };
    }
}
