package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.analysis.MethodStats;
import io.relaytrace.viewer.analysis.TextTable;
import io.relaytrace.viewer.analysis.TraceSummary;
import io.relaytrace.viewer.read.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;

import static io.relaytrace.viewer.analysis.Durations.format;

/** {@code summary TRACE_DIR [--json]}: per-method calls and times, and the trace's totals. */
@Command(name = "summary", mixinStandardHelpOptions = true,
    description = {"Per method: calls, exceptional exits, total and self time, min, p50, p90, p99, p99.9, max;",
        "totals: events, lost, dropped, too big, failed to record (when any), threads, virtual threads, carriers, time span;",
        "definitions the global buffer lost or dropped, which are not events, apart."})
final class SummaryCommand extends TraceCommand
{
    @Option(names = "--json", description = "Print exactly one JSON object instead of a table.")
    boolean json;

    @Override
    int run(final Trace trace, final PrintWriter out) throws IOException
    {
        final TraceSummary summary = TraceSummary.of(trace);
        if (json)
        {
            out.println(summary.toJson());
            return ExitCodes.OK;
        }
        print(summary, "trace " + traceDir + (summary.incomplete() ? " (incomplete: not closed cleanly)" : ""), out);
        return ExitCodes.OK;
    }

    /**
     * Prints a summary as text: a title line, the totals, then the per-method table.
     *
     * @param summary the summary.
     * @param title   the first line.
     * @param out     where it goes.
     */
    static void print(final TraceSummary summary, final String title, final PrintWriter out)
    {
        out.println(title);
        out.println("events " + summary.events() + "  lost " + summary.lost() + "  dropped " + summary.dropped() +
            "  too big " + summary.tooBig() + "  span " + format(summary.spanNanos()));
        if (summary.failed() > 0)
        {
            out.println("events failed " + summary.failed() + ": the tracer could not record them (an error inside it, " +
                "counted in the close marker); not in lost or dropped");
        }
        if (summary.definitionsLost() > 0 || summary.definitionsDropped() > 0)
        {
            out.println("definitions (not events) lost " + summary.definitionsLost() + "  dropped " +
                summary.definitionsDropped() + ": the global buffer was full");
        }
        out.println("threads " + summary.threads() + " (" + summary.virtualThreads() + " virtual)  carriers " +
            summary.carriers() + "  orphan exits " + summary.orphanExits() + "  unclosed calls " + summary.unclosedCalls() +
            "  calls cut by loss " + summary.callsCutByLoss());
        out.println();
        final TextTable table = new TextTable(
            "method", "calls", "exceptions", "total", "self", "min", "p50", "p90", "p99", "p99.9", "max").leftAligned(0);
        for (final MethodStats m : summary.methods())
        {
            table.row(m.name(), Long.toString(m.calls()), Long.toString(m.exceptions()), format(m.totalNanos()),
                format(m.selfNanos()), format(m.minNanos()), format(m.percentileNanos(50)), format(m.percentileNanos(90)),
                format(m.percentileNanos(99)), format(m.percentileNanos(99.9)), format(m.maxNanos()));
        }
        table.print(out);
    }
}
