package io.relaytrace.viewer.analysis;

import io.relaytrace.viewer.read.CallListener;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.LongObjectMap;
import io.relaytrace.viewer.read.ThreadCalls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Aggregates calls per method. A method appears once it is entered or exits, even if none of its
 * calls completed (then its counts are 0).
 */
public final class MethodSummary implements CallListener
{
    private final Definitions definitions;
    private final LongObjectMap<MethodStats> methods = new LongObjectMap<>();

    public MethodSummary(final Definitions definitions)
    {
        this.definitions = definitions;
    }

    @Override
    public void enter(final ThreadCalls thread, final int methodId, final long timestamp)
    {
        stats(methodId);
    }

    @Override
    public void exit(
        final ThreadCalls thread, final int methodId, final long start, final long end, final long childNanos,
        final boolean exceptional)
    {
        stats(methodId).record(end - start, childNanos, exceptional);
    }

    private MethodStats stats(final int methodId)
    {
        MethodStats stats = methods.get(methodId);
        if (stats == null)
        {
            stats = new MethodStats(methodId, definitions.methodName(methodId));
            methods.put(methodId, stats);
        }
        return stats;
    }

    /** @return every method, most total time first, then by name. */
    public List<MethodStats> byTotalTime()
    {
        final List<MethodStats> list = new ArrayList<>(methods.size());
        methods.forEachValue(list::add);
        list.sort(Comparator.comparingLong(MethodStats::totalNanos).reversed().thenComparing(MethodStats::name));
        return list;
    }
}
