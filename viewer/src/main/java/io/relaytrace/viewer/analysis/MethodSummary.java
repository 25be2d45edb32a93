package io.relaytrace.viewer.analysis;

import io.relaytrace.viewer.read.CallListener;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.LongObjectMap;
import io.relaytrace.viewer.read.ThreadCalls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

/**
 * Aggregates calls per method. A method appears once it is entered or exits, even if none of its
 * calls completed (then its counts are 0). Method ids with the same name (one class loaded by two
 * class loaders, say) share one entry, so that a name is never listed twice. A method whose
 * definition was not read yet when its first event came ({@code follow} reads the global file's
 * definitions as they are flushed, possibly after the events) is named when the list is made.
 */
public final class MethodSummary implements CallListener
{
    /** Ids at or above this are looked up in the map only: the array stays within 8 MiB of references. */
    private static final int MAX_ARRAY_ID = 1 << 20;

    private final Definitions definitions;
    /** Method ids are small and dense (assigned in order by the agent): most are found here. */
    private MethodStats[] byId = new MethodStats[256];
    private final LongObjectMap<MethodStats> methods = new LongObjectMap<>();
    private final Map<String, MethodStats> byName = new HashMap<>();
    /** Methods with no definition yet, by id. */
    private final List<MethodStats> unnamed = new ArrayList<>();

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
        final MethodStats[] byId = this.byId;
        if (methodId >= 0 && methodId < byId.length)
        {
            final MethodStats stats = byId[methodId];
            if (stats != null)
            {
                return stats;
            }
        }
        return lookUp(methodId);
    }

    private MethodStats lookUp(final int methodId)
    {
        MethodStats stats = methods.get(methodId);
        if (stats == null)
        {
            final String name = definitions.methodName(methodId);
            if (definitions.hasMethod(methodId))
            {
                stats = byName.computeIfAbsent(name, n -> new MethodStats(methodId, n));
            }
            else
            {
                stats = new MethodStats(methodId, name);
                unnamed.add(stats);
            }
            methods.put(methodId, stats);
        }
        cache(methodId, stats);
        return stats;
    }

    private void cache(final int methodId, final MethodStats stats)
    {
        if (methodId >= 0 && methodId < MAX_ARRAY_ID)
        {
            if (methodId >= byId.length)
            {
                byId = java.util.Arrays.copyOf(byId, Math.min(MAX_ARRAY_ID, Math.max(byId.length * 2, methodId + 1)));
            }
            byId[methodId] = stats;
        }
    }

    /** Names the methods whose definitions came since their first event, merging with the same name's entry. */
    private void nameLateDefinitions()
    {
        for (int i = unnamed.size() - 1; i >= 0; i--)
        {
            final MethodStats stats = unnamed.get(i);
            final int methodId = stats.methodId();
            if (!definitions.hasMethod(methodId))
            {
                continue;
            }
            unnamed.remove(i);
            final String name = definitions.methodName(methodId);
            final MethodStats named = byName.get(name);
            if (named == null)
            {
                stats.rename(name);
                byName.put(name, stats);
            }
            else
            {
                named.add(stats);
                methods.put(methodId, named);
                cache(methodId, named);
            }
        }
    }

    /** @return every method, most total time first, then by name. */
    public List<MethodStats> byTotalTime()
    {
        nameLateDefinitions();
        final List<MethodStats> list = new ArrayList<>(byName.values());
        list.addAll(unnamed);
        list.sort(Comparator.comparingLong(MethodStats::totalNanos).reversed().thenComparing(MethodStats::name));
        return list;
    }
}
