package io.relaytrace.viewer.export;

import io.relaytrace.viewer.analysis.Json;
import io.relaytrace.viewer.read.CallListener;
import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.EventMerge;
import io.relaytrace.viewer.read.ThreadCalls;
import io.relaytrace.viewer.read.Trace;
import io.relaytrace.viewer.read.TraceEvent;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * The Chrome Trace Event format (JSON object form) that {@code chrome://tracing}, Perfetto
 * ({@code ui.perfetto.dev}) and speedscope open.
 * <p>
 * Every call is a {@code B} event at its ENTER and an {@code E} event at its EXIT or THROW (with
 * {@code args.exception}, the exception class), on the track {@code pid} = the traced JVM's pid,
 * {@code tid} = the thread id, so each virtual thread has its own track whatever carriers it ran
 * on (the carrier is in the {@code B} event's {@code args.carrier}). A call the trace ended
 * inside (or whose exit was lost) ends at its thread's last event, with {@code args.unclosed}; a
 * call cut by a loss of events ends at its thread's last event before the loss, with
 * {@code args.cutByLoss}.
 * An exit whose entry came before the trace (orphan) has no event. {@code ts} is in
 * microseconds since the trace header's clock origin, with the nanoseconds as 3 decimals.
 * Metadata events ({@code ph} {@code M}) name the process and each thread: {@code thread_name}
 * is {@code name#id}, followed by {@code (virtual)} for a virtual thread.
 * <p>
 * Guarantees: {@code B} and {@code E} events each number {@code calls + unclosed + callsCutByLoss} of
 * {@code summary}; a thread's events come in timestamp order, properly nested; output streams
 * as events are read (memory as for {@code summary}); strings are JSON-escaped.
 * <p>
 * Example: {@code relaytrace-viewer export /tmp/trace --format chrome -o trace.json}, then open
 * {@code trace.json} in {@code https://ui.perfetto.dev}.
 */
public final class ChromeTraceExport implements TextExport
{
    @Override
    public void write(final Trace trace, final PrintWriter out) throws IOException
    {
        final Definitions definitions = trace.definitions();
        final long pid = trace.header().pid();
        final long origin = trace.header().clockNanoTime();
        final Writer writer = new Writer(out, definitions, pid, origin);
        out.print("{\"traceEvents\":[\n");
        final CallStacks stacks = new CallStacks(writer);
        try (EventMerge events = trace.events())
        {
            while (events.next())
            {
                writer.current = events.event();
                stacks.accept(writer.current);
            }
        }
        stacks.finish();
        final StringBuilder line = writer.line;
        line.setLength(0);
        line.append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":").append(pid).append(",\"tid\":0,\"args\":{\"name\":");
        Json.string(line, "relaytrace pid " + pid).append("}}");
        writer.emit();
        for (final ThreadCalls thread : stacks.threads())
        {
            line.setLength(0);
            line.append("{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":").append(pid)
                .append(",\"tid\":").append(thread.threadId()).append(",\"args\":{\"name\":");
            Json.string(line, definitions.threadLabel(thread.threadId())).append("}}");
            writer.emit();
        }
        out.print("\n],\"displayTimeUnit\":\"ns\",\"otherData\":{\"producer\":\"relaytrace-viewer\",\"clockEpochNanos\":");
        out.print(trace.header().clockEpochNanos());
        out.print("}}\n");
    }

    /**
     * Appends {@code nanos} as microseconds with exactly three decimals, e.g. {@code 1234567} as
     * {@code 1234.567} and {@code -5} as {@code -0.005}: a JSON number, exact to the nanosecond.
     */
    static StringBuilder micros(final StringBuilder out, final long nanos)
    {
        if (nanos < 0)
        {
            out.append('-');
        }
        final long abs = Math.abs(nanos);
        final long fraction = abs % 1000;
        out.append(abs / 1000).append('.');
        if (fraction < 100)
        {
            out.append('0');
        }
        if (fraction < 10)
        {
            out.append('0');
        }
        return out.append(fraction);
    }

    /** Writes one event per call boundary as {@link CallStacks} reports them. */
    private static final class Writer implements CallListener
    {
        private final PrintWriter out;
        private final Definitions definitions;
        private final long pid;
        private final long origin;
        private final StringBuilder line = new StringBuilder(256);
        private boolean first = true;
        /** The event being accepted: its carrier and exception class are not part of the callback. */
        private TraceEvent current;

        Writer(final PrintWriter out, final Definitions definitions, final long pid, final long origin)
        {
            this.out = out;
            this.definitions = definitions;
            this.pid = pid;
            this.origin = origin;
        }

        @Override
        public void enter(final ThreadCalls thread, final int methodId, final long timestamp)
        {
            start(methodId, 'B', thread.threadId(), timestamp);
            final long carrierId = current.carrierId();
            if (carrierId != thread.threadId())
            {
                line.append(",\"args\":{\"carrier\":");
                Json.string(line, definitions.threadLabel(carrierId)).append('}');
            }
            emit(line.append('}'));
        }

        @Override
        public void exit(
            final ThreadCalls thread, final int methodId, final long start, final long end, final long childNanos,
            final boolean exceptional)
        {
            start(methodId, 'E', thread.threadId(), end);
            if (exceptional)
            {
                line.append(",\"args\":{\"exception\":");
                Json.string(line, definitions.className(current.exceptionClassId())).append('}');
            }
            emit(line.append('}'));
        }

        @Override
        public void unclosed(final ThreadCalls thread, final int methodId, final long start)
        {
            start(methodId, 'E', thread.threadId(), Math.max(start, thread.lastTimestamp()));
            emit(line.append(",\"args\":{\"unclosed\":true}}"));
        }

        @Override
        public void cut(final ThreadCalls thread, final int methodId, final long start)
        {
            start(methodId, 'E', thread.threadId(), Math.max(start, thread.lastTimestamp()));
            emit(line.append(",\"args\":{\"cutByLoss\":true}}"));
        }

        private void start(final int methodId, final char phase, final long threadId, final long timestamp)
        {
            final StringBuilder line = this.line;
            line.setLength(0);
            line.append("{\"name\":");
            Json.string(line, definitions.methodName(methodId));
            line.append(",\"cat\":\"method\",\"ph\":\"").append(phase).append("\",\"ts\":");
            micros(line, timestamp - origin).append(",\"pid\":").append(pid).append(",\"tid\":").append(threadId);
        }

        private void emit(final StringBuilder line)
        {
            if (!first)
            {
                out.print(",\n");
            }
            first = false;
            out.append(line);
        }

        void emit()
        {
            emit(line);
        }
    }
}
