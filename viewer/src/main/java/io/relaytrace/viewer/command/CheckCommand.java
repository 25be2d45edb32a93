package io.relaytrace.viewer.command;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.analysis.TextTable;
import io.relaytrace.viewer.read.CallListener;
import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.FileReport;
import io.relaytrace.viewer.read.Problem;
import io.relaytrace.viewer.read.Trace;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * {@code check TRACE_DIR}: the integrity of every file, and an exit status scripts can test:
 * {@link ExitCodes#OK} intact, {@link ExitCodes#DAMAGED} damaged or incomplete.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
    description = {"Integrity report per file: blocks read, damaged regions, bytes skipped, events, lost, dropped, too big;",
        "the totals of events and, apart, of definitions (the global file's records, which are not events).",
        "Exit status 0 if intact and complete, 1 if damaged or incomplete, 2 if not a trace."})
final class CheckCommand extends TraceCommand
{
    @Override
    boolean warnAboutProblems()
    {
        return false;
    }

    @Override
    int run(final Trace trace, final PrintWriter out) throws IOException
    {
        final TextTable table = new TextTable(
            "file", "size", "blocks", "damaged", "skipped", "buffers", "events", "lost", "dropped", "tooBig").leftAligned(0);
        for (final FileReport file : trace.files())
        {
            table.row(file.name() + (file.exists() ? "" : " (missing)"), Long.toString(file.size()),
                Long.toString(file.blocks()), Integer.toString(file.damagedRegionCount()), Long.toString(file.bytesSkipped()),
                Integer.toString(file.buffers().size()), Long.toString(file.records()), Long.toString(file.lost()),
                Long.toString(file.dropped()), Long.toString(file.tooBig()));
        }
        table.print(out);
        // The global file's row counts definitions, which are not events: the totals keep them apart.
        out.println("events: read " + FileReport.total(trace.files(), false, FileReport::records) + ", lost " +
            trace.lost() + ", dropped " + trace.dropped() + ", too big " + trace.tooBig() + "; definitions: read " +
            FileReport.total(trace.files(), true, FileReport::records) + ", lost " + trace.definitionsLost() +
            ", dropped " + trace.definitionsDropped() + ", too big " + trace.definitionsTooBig());
        final ClosedMarker closed = trace.closedMarker();
        if (closed != null)
        {
            out.println("closed cleanly: events committed " + closed.events() + ", dropped " + closed.dropped() +
                ", too big " + closed.tooBig() + ", sub-buffers lost " + closed.lostSubbufs() + ", unattributed " +
                closed.unattributed() + ", blocks not written " + closed.blocksNotWritten() + ", buffers " + closed.buffers() +
                ", failed to record " + closed.failed());
        }
        if (trace.lost() > 0 || trace.dropped() > 0 || trace.tooBig() > 0 || !trace.problems().isEmpty())
        {
            // Only a trace that lost events can have cut calls: replay its calls to count them.
            final CallStacks stacks = CallStacks.replay(trace, CallListener.NONE);
            out.println("losses: " + stacks.losses() + " places where a buffer lost events, calls cut by loss " +
                stacks.callsCutByLoss());
        }
        for (final Problem problem : trace.problems())
        {
            out.println("problem: " + problem);
        }
        if (trace.problems().isEmpty() && !trace.isIncomplete())
        {
            out.println("status: intact");
            return ExitCodes.OK;
        }
        final boolean damaged = trace.problems().stream().anyMatch(p -> p.kind() == Problem.Kind.DAMAGED);
        out.println("status: " + (damaged ? "damaged" : "incomplete") + " (" + trace.problems().size() +
            (trace.problems().size() == 1 ? " problem)" : " problems)"));
        return ExitCodes.DAMAGED;
    }
}
