package io.relaytrace.bench.overhead;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one harness run measured: every workload run, every decoder pass over the last
 * round's traces, and the start-to-main figures (empty when not measured).
 */
record HarnessResults(HarnessOptions options, List<RunResult> runs, List<Decode> decodes, long[] startupWithoutMicros,
    long[] startupWithMicros)
{
    /** One decoder pass over the last round's trace of {@code workload} under {@code tracer}. */
    record Decode(Workload workload, Tracer tracer, long traceBytes, DecodeResult result)
    {
    }

    /** @return the runs of {@code workload} under {@code tracer}, in round order. */
    List<RunResult> runsOf(final Workload workload, final Tracer tracer)
    {
        final List<RunResult> matching = new ArrayList<>();
        for (final RunResult run : runs)
        {
            if (run.workload() == workload && run.tracer() == tracer)
            {
                matching.add(run);
            }
        }
        return matching;
    }

    /** @return the decoder passes of {@code decoder} over {@code workload} under {@code tracer}. */
    List<Decode> decodesOf(final Workload workload, final Tracer tracer, final String decoder)
    {
        final List<Decode> matching = new ArrayList<>();
        for (final Decode decode : decodes)
        {
            if (decode.workload() == workload && decode.tracer() == tracer && decode.result().decoder().equals(decoder))
            {
                matching.add(decode);
            }
        }
        return matching;
    }

    /** @return the median loop time of {@code workload} under {@code tracer}, NaN when it did not run. */
    double medianLoopNanos(final Workload workload, final Tracer tracer)
    {
        return Medians.median(runsOf(workload, tracer), RunResult::loopNanos);
    }

    double medianCpuNanos(final Workload workload, final Tracer tracer)
    {
        return Medians.median(runsOf(workload, tracer), run -> run.child().cpuNanos());
    }

    /** @return ns per traced call the tracer adds to the workload's loop, against the untraced runs. */
    double overheadLoopNanosPerCall(final Workload workload, final Tracer tracer)
    {
        final List<RunResult> traced = runsOf(workload, tracer);
        return traced.isEmpty() ? Double.NaN :
            (medianLoopNanos(workload, tracer) - medianLoopNanos(workload, Tracer.NONE)) / traced.get(0).calls();
    }

    /** @return CPU ns per traced call the tracer adds to the whole child (its own threads included). */
    double overheadCpuNanosPerCall(final Workload workload, final Tracer tracer)
    {
        final List<RunResult> traced = runsOf(workload, tracer);
        return traced.isEmpty() ? Double.NaN :
            (medianCpuNanos(workload, tracer) - medianCpuNanos(workload, Tracer.NONE)) / traced.get(0).calls();
    }
}
