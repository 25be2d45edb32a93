package io.relaytrace.viewer.command;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.analysis.Glob;
import io.relaytrace.viewer.read.CallListener;
import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.EventMerge;
import io.relaytrace.viewer.read.Trace;
import io.relaytrace.viewer.read.TraceEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code events TRACE_DIR}: one line per event in timestamp order, indented by call depth:
 * {@code <ns since trace start> <thread> c<carrier> <TYPE> <method>}.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = "One line per event in timestamp order: time (ns since the trace started), thread, carrier, type, method.")
final class EventsCommand extends TraceCommand
{
    @Option(names = "--thread", paramLabel = "ID|NAME", description = "Only this thread (repeatable).")
    List<String> threads;

    @Option(names = "--method", paramLabel = "GLOB", description = "Only methods matching this glob, e.g. 'com.acme.*'.")
    String method;

    @Option(names = "--from", paramLabel = "NANOS", description = "Only events at or after this time since the trace started.")
    long from = Long.MIN_VALUE;

    @Option(names = "--to", paramLabel = "NANOS", description = "Only events before this time since the trace started.")
    long to = Long.MAX_VALUE;

    @Option(names = "--include-thread-records", description = "Also show THREAD records (a thread mounted on a carrier).")
    boolean threadRecords;

    @Override
    int run(final Trace trace, final PrintWriter out) throws IOException
    {
        final Definitions definitions = trace.definitions();
        final ThreadFilter threadFilter = new ThreadFilter(threads, definitions);
        final Glob glob = method == null ? null : new Glob(method);
        final long origin = trace.header().clockNanoTime();
        // Only for the depth of each event: the calls themselves are not needed here.
        final CallStacks stacks = new CallStacks(CallListener.NONE);
        final StringBuilder line = new StringBuilder(160);
        try (EventMerge events = trace.events())
        {
            while (events.next())
            {
                final TraceEvent e = events.event();
                final int depthBefore = e.isCall() ? stacks.thread(e.threadId()).depth() : 0;
                stacks.accept(e);
                final long time = e.timestamp() - origin;
                if (time < from || time >= to || !threadFilter.accepts(e.threadId()))
                {
                    continue;
                }
                if (e.type() == TraceEvent.LOSS)
                {
                    // Before the buffer's first event (MIN_VALUE): nothing to place it after.
                    if (glob == null && e.timestamp() != Long.MIN_VALUE)
                    {
                        line.setLength(0);
                        prefix(line, time, definitions, e).append("LOSS events of this carrier lost after here");
                        out.println(line);
                    }
                    continue;
                }
                if (e.type() == EventDescriptor.THREAD)
                {
                    if (threadRecords && glob == null)
                    {
                        line.setLength(0);
                        prefix(line, time, definitions, e).append("THREAD mounted");
                        out.println(line);
                    }
                    continue;
                }
                final String name = definitions.methodName(e.methodId());
                if (glob != null && !glob.matches(name))
                {
                    continue;
                }
                final int depth = e.type() == EventDescriptor.ENTER ? depthBefore : stacks.thread(e.threadId()).depth();
                line.setLength(0);
                prefix(line, time, definitions, e).append(typeName(e.type())).append(' ');
                for (int i = 0; i < depth; i++)
                {
                    line.append("  ");
                }
                line.append(name);
                if (e.type() == EventDescriptor.THROW)
                {
                    line.append(" !").append(definitions.className(e.exceptionClassId()));
                }
                out.println(line);
            }
        }
        return ExitCodes.OK;
    }

    private static StringBuilder prefix(final StringBuilder line, final long time, final Definitions definitions, final TraceEvent e)
    {
        final String t = Long.toString(time);
        for (int i = t.length(); i < 14; i++)
        {
            line.append(' ');
        }
        return line.append(t).append(' ').append(definitions.threadName(e.threadId())).append('#').append(e.threadId())
            .append(" c").append(e.carrierId()).append(' ');
    }

    private static String typeName(final int type)
    {
        switch (type)
        {
            case EventDescriptor.ENTER: return "ENTER";
            case EventDescriptor.EXIT: return "EXIT ";
            case EventDescriptor.THROW: return "THROW";
            default: return "TYPE" + type;
        }
    }
}
