package io.relaytrace.viewer.report;

import io.relaytrace.viewer.read.CallListener;
import io.relaytrace.viewer.read.LongObjectMap;
import io.relaytrace.viewer.read.ThreadCalls;

import java.util.Arrays;

/**
 * Each thread's outermost calls over time, for the report's timeline: per thread a list of spans
 * {@code [start, end]}, each one call or several close ones merged. A call the trace ended inside
 * ends at its thread's last event.
 * <p>
 * Guarantees: at most {@link #MAX_SPANS} spans per thread: when a thread has more, spans closer
 * than a gap that doubles each time are merged, so memory stays bounded whatever the number of
 * calls while the spans still cover every outermost call.
 */
final class Timeline implements CallListener
{
    static final int MAX_SPANS = 4096;

    private final LongObjectMap<Lane> lanes = new LongObjectMap<>();

    /** One thread's spans, in time order. */
    static final class Lane
    {
        long[] starts = new long[16];
        long[] ends = new long[16];
        int[] calls = new int[16];
        int[] methodIds = new int[16];
        int count;
        private long mergeGap;

        void add(final long start, final long end, final int methodId)
        {
            final int last = count - 1;
            if (last >= 0 && start - ends[last] <= mergeGap)
            {
                ends[last] = Math.max(ends[last], end);
                calls[last]++;
                return;
            }
            if (count == starts.length)
            {
                if (count >= MAX_SPANS)
                {
                    coarsen();
                    add(start, end, methodId);
                    return;
                }
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
                calls = Arrays.copyOf(calls, count * 2);
                methodIds = Arrays.copyOf(methodIds, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            calls[count] = 1;
            methodIds[count] = methodId;
            count++;
        }

        /** Merges spans closer than a growing gap until at most half the room is used. */
        private void coarsen()
        {
            while (count > MAX_SPANS / 2)
            {
                mergeGap = mergeGap == 0 ? Math.max(1, (ends[count - 1] - starts[0]) / MAX_SPANS) : mergeGap * 2;
                int kept = 0;
                for (int i = 1; i < count; i++)
                {
                    if (starts[i] - ends[kept] <= mergeGap)
                    {
                        ends[kept] = Math.max(ends[kept], ends[i]);
                        calls[kept] += calls[i];
                    }
                    else
                    {
                        kept++;
                        starts[kept] = starts[i];
                        ends[kept] = ends[i];
                        calls[kept] = calls[i];
                        methodIds[kept] = methodIds[i];
                    }
                }
                count = kept + 1;
            }
        }
    }

    @Override
    public void exit(
        final ThreadCalls thread, final int methodId, final long start, final long end, final long childNanos,
        final boolean exceptional)
    {
        if (thread.depth() == 1)
        {
            lane(thread.threadId()).add(start, Math.max(start, end), methodId);
        }
    }

    @Override
    public void unclosed(final ThreadCalls thread, final int methodId, final long start)
    {
        if (thread.depth() == 1)
        {
            lane(thread.threadId()).add(start, Math.max(start, thread.lastTimestamp()), methodId);
        }
    }

    private Lane lane(final long threadId)
    {
        Lane lane = lanes.get(threadId);
        if (lane == null)
        {
            lane = new Lane();
            lanes.put(threadId, lane);
        }
        return lane;
    }

    /** @return the thread's spans, or null if it had no outermost call. */
    Lane lane(final ThreadCalls thread)
    {
        return lanes.get(thread.threadId());
    }
}
