package io.relaytrace.bench.overhead;

import java.util.List;

import io.relaytrace.bench.overhead.workloads.Baseline;
import io.relaytrace.bench.overhead.workloads.Fib;
import io.relaytrace.bench.overhead.workloads.Hot;
import io.relaytrace.bench.overhead.workloads.Mixed;
import io.relaytrace.bench.overhead.workloads.VirtualThreads;

/**
 * The workloads the harness runs, each a main in {@code io.relaytrace.bench.overhead.workloads}
 * printing {@code calls=N loopNanos=T}, with the methods each tracer is told to trace.
 * <p>
 * Every tracer traces the same {@code class::method} list, except on {@code mixed}, where
 * relaytrace takes the glob {@code io.relaytrace.demo.**} (every method of the demo package) and
 * JFR and async-profiler, which take no globs, the demo's main methods ({@link Mixed#SELECTED_METHODS}).
 */
enum Workload
{
    HOT("hot", Hot.class.getName(), List.of(Hot.class.getName() + "::call"), null, "calls"),
    FIB("fib", Fib.class.getName(), List.of(Fib.class.getName() + "::fib"), null, "calls"),
    VT("vt", VirtualThreads.class.getName(), List.of(VirtualThreads.class.getName() + "::call"), null, "calls"),
    MIXED("mixed", Mixed.class.getName(), List.of(Mixed.SELECTED_METHODS), "io.relaytrace.demo.**", "selectedCalls"),
    /** Never traced: the floor of a timing tracer (two clock reads per call). */
    BASELINE("baseline", Baseline.class.getName(), List.of(), null, "calls");

    private final String id;
    private final String mainClass;
    private final List<String> methods;
    private final String relaytraceGlob;
    private final String selectedCallsKey;

    Workload(final String id, final String mainClass, final List<String> methods, final String relaytraceGlob,
        final String selectedCallsKey)
    {
        this.id = id;
        this.mainClass = mainClass;
        this.methods = methods;
        this.relaytraceGlob = relaytraceGlob;
        this.selectedCallsKey = selectedCallsKey;
    }

    String id()
    {
        return id;
    }

    String mainClass()
    {
        return mainClass;
    }

    /** @return the traced methods as {@code fully.qualified.Class::method}. */
    List<String> methods()
    {
        return methods;
    }

    /** @return relaytrace's include patterns: its glob where it has one, else the method list. */
    List<String> relaytraceIncludes()
    {
        return relaytraceGlob != null ? List.of(relaytraceGlob) : methods;
    }

    /** @return the key of the workload's output that counts the calls of {@link #methods()}. */
    String selectedCallsKey()
    {
        return selectedCallsKey;
    }

    boolean traced()
    {
        return !methods.isEmpty();
    }

    /** @return the workload's command-line arguments at the sizes in {@code options}. */
    List<String> args(final HarnessOptions options)
    {
        return switch (this)
        {
            case HOT, BASELINE -> List.of(Integer.toString(options.hotCalls()));
            case FIB -> List.of(Integer.toString(options.fibN()));
            case VT -> List.of(Integer.toString(options.vtThreads()), Integer.toString(options.vtCalls()),
                Integer.toString(options.vtYieldEvery()));
            case MIXED -> List.of(Integer.toString(options.mixedOrders()), Integer.toString(options.mixedItems()));
        };
    }

    static Workload byId(final String id)
    {
        for (final Workload workload : values())
        {
            if (workload.id.equals(id))
            {
                return workload;
            }
        }
        throw new IllegalArgumentException("unknown workload=" + id + "; accepted: hot, fib, vt, mixed, baseline");
    }
}
