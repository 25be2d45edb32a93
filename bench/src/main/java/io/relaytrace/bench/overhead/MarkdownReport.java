package io.relaytrace.bench.overhead;

import java.util.List;
import java.util.Locale;

/**
 * Renders {@link HarnessResults} as Markdown: the runs (medians over rounds), the decoders, the
 * start-up figure, and each goal with the figures it is judged on. Overheads are differences of
 * medians, so a noisy machine can make one negative; the raw medians are printed beside them.
 */
final class MarkdownReport
{
    private static final double GOAL_FLOOR_MARGIN_NANOS = 10;
    private static final double GOAL_VS_JFR_NO_STACK = 0.6;
    private static final double GOAL_VS_JFR = 0.15;
    private static final double GOAL_DECODE_SPEEDUP = 10;
    private static final double GOAL_STARTUP_MILLIS = 150;

    private MarkdownReport()
    {
    }

    static String render(final HarnessResults results)
    {
        final StringBuilder out = new StringBuilder();
        final HarnessOptions options = results.options();
        out.append(String.format(Locale.ROOT, "Sizes: hot/baseline %,d calls; fib(%d); vt %,d threads x %,d calls " +
            "(yield every %,d); mixed %,d orders x %d items. Medians of %d round(s).%n%n", options.hotCalls(),
            options.fibN(), options.vtThreads(), options.vtCalls(), options.vtYieldEvery(), options.mixedOrders(),
            options.mixedItems(), options.runs()));
        runsTable(results, out);
        decodeTable(results, out);
        startup(results, out);
        goals(results, out);
        return out.toString();
    }

    private static void runsTable(final HarnessResults results, final StringBuilder out)
    {
        out.append("| workload | tracer | traced calls | wall ms | CPU ms | loop ms | overhead ns/call (loop) | " +
            "overhead CPU ns/call | events recorded (min-max) | events expected | lost / dropped (max) | B/event |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (final Workload workload : results.options().workloads())
        {
            for (final Tracer tracer : results.options().tracers())
            {
                final List<RunResult> runs = results.runsOf(workload, tracer);
                if (runs.isEmpty())
                {
                    continue;
                }
                final RunResult first = runs.get(0);
                final boolean traced = tracer != Tracer.NONE;
                out.append("| ").append(workload.id()).append(" | ").append(tracer.id()).append(" | ")
                    .append(traced ? group(first.calls()) : "(" + group(first.calls()) + " untraced)").append(" | ")
                    .append(ms(Medians.median(runs, run -> run.child().wallNanos()))).append(" | ")
                    .append(ms(results.medianCpuNanos(workload, tracer))).append(" | ")
                    .append(ms(results.medianLoopNanos(workload, tracer))).append(" | ")
                    .append(traced ? one(results.overheadLoopNanosPerCall(workload, tracer)) : "").append(" | ")
                    .append(traced ? one(results.overheadCpuNanosPerCall(workload, tracer)) : "").append(" | ")
                    .append(traced ? eventsRange(runs) : "").append(" | ")
                    .append(traced ? group(first.expectedEvents()) : "").append(" | ")
                    .append(traced && tracer == Tracer.RELAYTRACE ? lostDropped(runs) : traced ? "n/a" : "").append(" | ")
                    .append(traced ? one(Medians.median(runs, run -> run.traceBytes()) /
                        Medians.median(runs, run -> run.count().events())) : "").append(" |\n");
            }
        }
        out.append('\n');
    }

    private static void decodeTable(final HarnessResults results, final StringBuilder out)
    {
        if (results.decodes().isEmpty())
        {
            return;
        }
        out.append("Decoding the last round's traces (each decoder a fresh JVM; median of ")
            .append(results.options().decodeRuns()).append(" pass(es)):\n\n");
        out.append("| workload | tracer | decoder | events | trace MiB | wall ms | CPU ms | peak RSS MiB | ns/event (wall) |\n");
        out.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (final Workload workload : results.options().workloads())
        {
            for (final Tracer tracer : results.options().tracers())
            {
                for (final String decoder : List.of(TraceDecoders.SUMMARY, TraceDecoders.JFR_SUMMARY, TraceDecoders.RECORDING_FILE))
                {
                    final List<HarnessResults.Decode> decodes = results.decodesOf(workload, tracer, decoder);
                    if (decodes.isEmpty())
                    {
                        continue;
                    }
                    final double wall = Medians.median(decodes, d -> d.result().child().wallNanos());
                    final long events = decodes.get(0).result().events();
                    out.append("| ").append(workload.id()).append(" | ").append(tracer.id()).append(" | `")
                        .append(decoder).append("` | ").append(group(events)).append(" | ")
                        .append(one(decodes.get(0).traceBytes() / 1048576.0)).append(" | ").append(ms(wall)).append(" | ")
                        .append(ms(Medians.median(decodes, d -> d.result().child().cpuNanos()))).append(" | ")
                        .append(one(Medians.median(decodes, d -> d.result().child().peakRssKiB()) / 1024.0)).append(" | ")
                        .append(one(wall / Math.max(1, events))).append(" |\n");
                }
            }
        }
        out.append('\n');
    }

    private static void startup(final HarnessResults results, final StringBuilder out)
    {
        if (results.startupWithMicros().length == 0)
        {
            return;
        }
        out.append(String.format(Locale.ROOT, "JVM start to main (trivial main, %d alternating runs): without agent " +
            "median %.1f ms (runs %s), with the agent and one include pattern median %.1f ms (runs %s).%n%n",
            results.startupWithMicros().length, Medians.median(results.startupWithoutMicros()) / 1e3,
            millisList(results.startupWithoutMicros()), Medians.median(results.startupWithMicros()) / 1e3,
            millisList(results.startupWithMicros())));
    }

    private static void goals(final HarnessResults results, final StringBuilder out)
    {
        out.append("| goal | measured | met |\n| --- | --- | --- |\n");
        final Workload hot = Workload.HOT;
        if (!results.runsOf(hot, Tracer.RELAYTRACE).isEmpty() && !results.runsOf(Workload.BASELINE, Tracer.NONE).isEmpty())
        {
            final double relay = results.overheadLoopNanosPerCall(hot, Tracer.RELAYTRACE);
            final double floor = (results.medianLoopNanos(Workload.BASELINE, Tracer.NONE) -
                results.medianLoopNanos(hot, Tracer.NONE)) / results.runsOf(hot, Tracer.NONE).get(0).calls();
            goalRow(out, "hot: overhead <= two nanoTime calls + 10 ns",
                String.format(Locale.ROOT, "%.1f ns/call vs floor %.1f + 10 = %.1f ns", relay, floor, floor + GOAL_FLOOR_MARGIN_NANOS),
                relay <= floor + GOAL_FLOOR_MARGIN_NANOS);
            ratioGoal(results, out, relay, Tracer.JFR_NO_STACK, GOAL_VS_JFR_NO_STACK);
            ratioGoal(results, out, relay, Tracer.JFR, GOAL_VS_JFR);
        }
        for (final Workload workload : results.options().workloads())
        {
            final List<RunResult> runs = results.runsOf(workload, Tracer.RELAYTRACE);
            if (runs.isEmpty())
            {
                continue;
            }
            int complete = 0;
            int exactlyCounted = 0;
            for (final RunResult run : runs)
            {
                final DecodeResult count = run.count();
                complete += count.events() == run.expectedEvents() ? 1 : 0;
                exactlyCounted += count.events() + count.lost() + count.dropped() == run.expectedEvents() ? 1 : 0;
            }
            goalRow(out, workload.id() + ": every call recorded (default options)",
                complete + " of " + runs.size() + " runs complete; in " + exactlyCounted + " of " + runs.size() +
                    " runs events + lost + dropped = 2 x calls exactly", complete == runs.size());
        }
        for (final Workload workload : results.options().workloads())
        {
            final List<HarnessResults.Decode> ours = results.decodesOf(workload, Tracer.RELAYTRACE, TraceDecoders.SUMMARY);
            for (final Tracer jfr : List.of(Tracer.JFR_NO_STACK, Tracer.JFR))
            {
                final List<HarnessResults.Decode> theirs = results.decodesOf(workload, jfr, TraceDecoders.RECORDING_FILE);
                if (ours.isEmpty() || theirs.isEmpty())
                {
                    continue;
                }
                final double speedup = Medians.median(theirs, d -> d.result().child().wallNanos()) /
                    Medians.median(ours, d -> d.result().child().wallNanos());
                goalRow(out, workload.id() + ": decoding >= 10x faster than RecordingFile (" + jfr.id() + ")",
                    String.format(Locale.ROOT, "%.2fx (wall, summary vs RecordingFile loop)", speedup),
                    speedup >= GOAL_DECODE_SPEEDUP);
            }
        }
        if (results.startupWithMicros().length > 0)
        {
            final double extra = (Medians.median(results.startupWithMicros()) - Medians.median(results.startupWithoutMicros())) / 1e3;
            goalRow(out, "start to main with the agent <= 150 ms more", String.format(Locale.ROOT, "+%.1f ms", extra),
                extra <= GOAL_STARTUP_MILLIS);
        }
        out.append('\n');
    }

    private static void ratioGoal(final HarnessResults results, final StringBuilder out, final double relay,
        final Tracer jfr, final double goal)
    {
        if (results.runsOf(Workload.HOT, jfr).isEmpty())
        {
            return;
        }
        final double theirs = results.overheadLoopNanosPerCall(Workload.HOT, jfr);
        final double ratio = relay / theirs;
        goalRow(out, "hot: overhead <= " + goal + "x " + jfr.id(),
            String.format(Locale.ROOT, "%.1f / %.1f ns/call = %.2fx", relay, theirs, ratio), ratio <= goal);
    }

    private static void goalRow(final StringBuilder out, final String goal, final String measured, final boolean met)
    {
        out.append("| ").append(goal).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**").append(" |\n");
    }

    private static String eventsRange(final List<RunResult> runs)
    {
        final long min = runs.stream().mapToLong(run -> run.count().events()).min().orElse(0);
        final long max = runs.stream().mapToLong(run -> run.count().events()).max().orElse(0);
        return min == max ? group(min) : group(min) + " - " + group(max);
    }

    private static String lostDropped(final List<RunResult> runs)
    {
        final long lost = runs.stream().mapToLong(run -> run.count().lost()).max().orElse(0);
        final long dropped = runs.stream().mapToLong(run -> run.count().dropped()).max().orElse(0);
        return group(lost) + " / " + group(dropped);
    }

    private static String millisList(final long[] micros)
    {
        final StringBuilder list = new StringBuilder();
        for (final long value : micros)
        {
            list.append(list.isEmpty() ? "" : ", ").append(Math.round(value / 1e3));
        }
        return list.toString();
    }

    private static String group(final long value)
    {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String ms(final double nanos)
    {
        return String.format(Locale.ROOT, "%,.1f", nanos / 1e6);
    }

    private static String one(final double value)
    {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
