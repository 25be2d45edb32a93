package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.analysis.TextTable;
import io.relaytrace.viewer.analysis.ThreadActivity;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.EventMerge;
import io.relaytrace.viewer.read.Trace;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;

import static io.relaytrace.viewer.analysis.Durations.format;

/** {@code threads TRACE_DIR}: every thread, virtual or not, its events and the carriers it ran on over time. */
@Command(name = "threads", mixinStandardHelpOptions = true,
    description = "Threads (virtual or platform), their event counts, and the carriers they ran on over time.")
final class ThreadsCommand extends TraceCommand
{
    @Override
    int run(final Trace trace, final PrintWriter out) throws IOException
    {
        final Definitions definitions = trace.definitions();
        final ThreadActivity activity = new ThreadActivity();
        try (EventMerge events = trace.events())
        {
            while (events.next())
            {
                activity.accept(events.event());
            }
        }
        final long origin = trace.header().clockNanoTime();
        final TextTable table = new TextTable("thread", "name", "kind", "events", "carriers", "first", "last",
            "carrier", "carrier name", "mounts", "events on it", "from", "to").leftAligned(1, 2, 8);
        int virtual = 0;
        for (final ThreadActivity.ThreadUse thread : activity.threads())
        {
            final boolean isVirtual = definitions.isVirtual(thread.threadId());
            virtual += isVirtual ? 1 : 0;
            boolean firstRow = true;
            for (final ThreadActivity.CarrierUse carrier : thread.carriers())
            {
                table.row(firstRow ? Long.toString(thread.threadId()) : "",
                    firstRow ? definitions.threadName(thread.threadId()) : "",
                    firstRow ? (isVirtual ? "virtual" : "platform") : "",
                    firstRow ? Long.toString(thread.events()) : "",
                    firstRow ? Integer.toString(thread.carriers().size()) : "",
                    firstRow ? since(thread.events(), thread.first(), origin) : "",
                    firstRow ? since(thread.events(), thread.last(), origin) : "",
                    Long.toString(carrier.carrierId()), definitions.threadName(carrier.carrierId()),
                    Long.toString(carrier.mounts()), Long.toString(carrier.events()),
                    since(carrier.events(), carrier.first(), origin), since(carrier.events(), carrier.last(), origin));
                firstRow = false;
            }
        }
        out.println(activity.threads().size() + " threads (" + virtual + " virtual); times since the trace started");
        table.print(out);
        return ExitCodes.OK;
    }

    /** @return the time since the trace started, or "-" when there were no events to time. */
    private static String since(final long events, final long timestamp, final long origin)
    {
        return events == 0 ? "-" : format(timestamp - origin);
    }
}
