package io.relaytrace.bench.overhead;

/**
 * One workload run under one tracer in one round.
 *
 * @param workload   what ran.
 * @param tracer     what traced it.
 * @param round      0-based round.
 * @param calls      traced calls made (for {@code none}: the workload's calls), from the workload's output.
 * @param loopNanos  the workload's own timing of its loop (JVM start and tracer shutdown excluded).
 * @param child      the child JVM: wall time start to exit, CPU time, peak RSS.
 * @param traceBytes bytes of the trace on disk (0 without a tracer).
 * @param count      the decoder's count of the trace (null without a tracer).
 */
record RunResult(Workload workload, Tracer tracer, int round, long calls, long loopNanos, ChildResult child,
    long traceBytes, DecodeResult count)
{
    /** @return events a complete trace of this run holds. */
    long expectedEvents()
    {
        return calls * tracer.eventsPerCall();
    }
}
