package io.relaytrace.viewer.read;

import io.relaytrace.event.EventDescriptor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Rebuilds each thread's call stack from the merged events and tells a {@link CallListener} about
 * every call.
 * <p>
 * ENTER pushes. EXIT or THROW of method M completes the innermost open call of M: calls opened
 * after it whose exits were lost are reported {@link CallListener#unclosed unclosed}. An exit
 * with no open call of M is an <em>orphan</em> (the trace began inside that call) and is
 * counted. At {@link #finish()} every call still open is unclosed (the trace ended inside it).
 * None of these is an error.
 * <p>
 * Calls are never paired across lost events ({@link TraceEvent#LOSS}). A platform thread is its
 * own carrier and writes only in its own buffer, so a loss there cuts only its own stack, at the
 * loss. A virtual thread's events may have been lost in any carrier it was mounted on: a carrier
 * that ran other threads and lost events from time {@code s} (its event before the loss) to time
 * {@code e} (its event after) may have held events of any virtual thread mounted there meanwhile,
 * which then went on on other carriers. So when a virtual thread's event comes and the interval
 * since its previous event meets such a window, its open calls are cut first. Cut calls are
 * reported {@link CallListener#cut cut}, not completed; the exits that come later match no open
 * call and count as orphans. The check is O(1) per event: windows come in time order with the
 * merged events, so the ones still open are counted and, of those ended, only the latest end
 * matters (it met the interval if it ended after the thread's previous event; an event at the
 * very end of a window is the carrier's first after the loss, so a thread whose previous event
 * is that one lost nothing there).
 * <p>
 * Example:
 * <pre>{@code
 * CallStacks stacks = new CallStacks(listener);
 * while (merge.next()) stacks.accept(merge.event());
 * stacks.finish();
 * }</pre>
 */
public final class CallStacks
{
    /** Buffer ids at or above this go through the map only (a buffer id per carrier ever online). */
    private static final int MAX_CACHED_BUFFER_ID = 1 << 16;

    private final CallListener listener;
    private final LongObjectMap<ThreadCalls> threads = new LongObjectMap<>();
    private final List<ThreadCalls> order = new ArrayList<>();
    private ThreadCalls last;
    /**
     * The thread of each buffer's last event, by buffer id: the merge interleaves buffers, and a
     * buffer's consecutive events are mostly one thread's, so this spares most map lookups.
     */
    private ThreadCalls[] lastByBuffer = new ThreadCalls[16];
    private long events;
    private long firstTimestamp = Long.MAX_VALUE;
    private long lastTimestamp = Long.MIN_VALUE;
    /** Loss windows of shared carriers (ones that ran virtual threads) begun and not yet ended. */
    private int openWindows;
    /** The latest end of a loss window of a shared carrier. */
    private long windowEnd = Long.MIN_VALUE;
    private long losses;

    public CallStacks(final CallListener listener)
    {
        this.listener = listener;
    }

    /**
     * Reads every event of a trace in timestamp order and rebuilds its calls.
     *
     * @param trace    an opened trace.
     * @param listener told about every call.
     * @return the stacks, finished: their counts are final.
     * @throws IOException if a file cannot be read.
     */
    public static CallStacks replay(final Trace trace, final CallListener listener) throws IOException
    {
        final CallStacks stacks = new CallStacks(listener);
        try (EventMerge events = trace.events())
        {
            while (events.next())
            {
                stacks.accept(events.event());
            }
        }
        stacks.finish();
        return stacks;
    }

    /** Takes the next event in timestamp order; THREAD events only end loss windows here. */
    public void accept(final TraceEvent event)
    {
        final int type = event.type;
        if (event.endsSharedLoss)
        {
            openWindows--;
            windowEnd = Math.max(windowEnd, event.timestamp);
        }
        if (!event.isCall())
        {
            if (type == TraceEvent.LOSS)
            {
                loss(event);
            }
            return;
        }
        final long timestamp = event.timestamp;
        events++;
        firstTimestamp = Math.min(firstTimestamp, timestamp);
        lastTimestamp = Math.max(lastTimestamp, timestamp);
        final long threadId = event.threadId;
        final ThreadCalls thread = thread(threadId, event.bufferId);
        // A thread other than the buffer's carrier is a virtual thread mounted there.
        if (threadId != event.carrierId && thread.depth() > 0 && (openWindows > 0 || windowEnd > thread.lastTimestamp()))
        {
            cutAll(thread);
        }
        thread.seen(timestamp);
        if (type == EventDescriptor.ENTER)
        {
            thread.push(event.methodId, timestamp);
            listener.enter(thread, event.methodId, timestamp);
            return;
        }
        final int level = thread.find(event.methodId);
        if (level < 0)
        {
            thread.orphanExit();
            return;
        }
        while (thread.depth() - 1 > level)
        {
            thread.abandon(listener);
        }
        thread.complete(timestamp, type == EventDescriptor.THROW, listener);
    }

    /** A buffer lost events after this time: its carrier's own open calls are cut now. */
    private void loss(final TraceEvent event)
    {
        losses++;
        final ThreadCalls own = threads.get(event.carrierId);
        if (own != null)
        {
            cutAll(own);
        }
        if (event.sharedCarrier)
        {
            openWindows++;
        }
    }

    private void cutAll(final ThreadCalls thread)
    {
        while (thread.depth() > 0)
        {
            thread.cut(listener);
        }
    }

    /** Ends the trace: every call still open is reported unclosed. */
    public void finish()
    {
        for (final ThreadCalls thread : order)
        {
            while (thread.depth() > 0)
            {
                thread.abandon(listener);
            }
        }
    }

    private ThreadCalls thread(final long threadId, final int bufferId)
    {
        final ThreadCalls[] lastByBuffer = this.lastByBuffer;
        if (bufferId >= 0 && bufferId < lastByBuffer.length)
        {
            final ThreadCalls cached = lastByBuffer[bufferId];
            if (cached != null && cached.threadId() == threadId)
            {
                return cached;
            }
        }
        final ThreadCalls thread = thread(threadId);
        if (bufferId >= 0 && bufferId < MAX_CACHED_BUFFER_ID)
        {
            if (bufferId >= lastByBuffer.length)
            {
                final int length = Math.min(MAX_CACHED_BUFFER_ID, Math.max(bufferId + 1, lastByBuffer.length * 2));
                this.lastByBuffer = java.util.Arrays.copyOf(lastByBuffer, length);
            }
            this.lastByBuffer[bufferId] = thread;
        }
        return thread;
    }

    /** @return the thread's stack, created at its first event. */
    public ThreadCalls thread(final long threadId)
    {
        final ThreadCalls last = this.last;
        if (last != null && last.threadId() == threadId)
        {
            return last;
        }
        ThreadCalls thread = threads.get(threadId);
        if (thread == null)
        {
            thread = new ThreadCalls(threadId);
            threads.put(threadId, thread);
            order.add(thread);
        }
        this.last = thread;
        return thread;
    }

    /** @return the threads that had ENTER, EXIT or THROW events, in order of their first. */
    public List<ThreadCalls> threads()
    {
        return order;
    }

    /** @return ENTER, EXIT and THROW events seen. */
    public long events()
    {
        return events;
    }

    public long orphanExits()
    {
        return sum(ThreadCalls::orphanExits);
    }

    /** @return calls cut because events were lost while they were open: neither completed nor unclosed. */
    public long callsCutByLoss()
    {
        return sum(ThreadCalls::cutByLoss);
    }

    /** @return places where a buffer lost events (LOSS events seen). */
    public long losses()
    {
        return losses;
    }

    public long unclosedCalls()
    {
        return sum(ThreadCalls::unclosed);
    }

    private long sum(final ToLongFunction<ThreadCalls> count)
    {
        long total = 0;
        for (final ThreadCalls thread : order)
        {
            total += count.applyAsLong(thread);
        }
        return total;
    }

    /** @return timestamp of the first ENTER, EXIT or THROW, or {@link Long#MAX_VALUE} if none. */
    public long firstTimestamp()
    {
        return firstTimestamp;
    }

    /** @return timestamp of the last ENTER, EXIT or THROW, or {@link Long#MIN_VALUE} if none. */
    public long lastTimestamp()
    {
        return lastTimestamp;
    }
}
