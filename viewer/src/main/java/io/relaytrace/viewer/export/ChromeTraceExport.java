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
 * The Chrome Trace Event format (JSON object form) that Perfetto ({@code ui.perfetto.dev}),
 * {@code chrome://tracing}, the Performance panel of Chrome DevTools and speedscope open.
 * <p>
 * Every call is one complete event ({@code ph} {@code X}: {@code ts} its ENTER, {@code dur} until
 * its EXIT or THROW, with {@code args.exception}, the exception class), on the track {@code pid} =
 * the traced JVM's pid, {@code tid} = the thread id, so each virtual thread has its own track
 * whatever carriers it ran on ({@code args.carrier} names the carrier it entered the call on). A
 * call the trace ended inside (or whose exit was lost) lasts until its thread's last event, with
 * {@code args.unclosed}; a call cut by a loss of events until its thread's last event before the
 * loss, with {@code args.cutByLoss}. An exit whose entry came before the trace (orphan) has no
 * event. {@code ts} and {@code dur} are in microseconds, {@code ts} since the trace header's clock
 * origin, with the nanoseconds as 3 decimals. Metadata events ({@code ph} {@code M}) name the
 * process and each thread: {@code thread_name} is {@code name#id}, followed by {@code (virtual)}
 * for a virtual thread.
 * <p>
 * Why complete events and not {@code B}/{@code E} pairs: the trace engine of Chrome DevTools keeps
 * one stack of open {@code B} events for the whole file, not one per thread, so the {@code B} and
 * {@code E} events of threads running at the same time, interleaved in time order, mismatch there
 * ({@code ChromeTraceEngineTest} loads the export with that engine). Complete events carry their
 * own end, and take half the lines.
 * <p>
 * Guarantees: {@code X} events number {@code calls + unclosed + callsCutByLoss} of
 * {@code summary}; a thread's calls are written as they end, so a callee before its caller, each
 * properly nested within its caller; output streams as events are read (memory as for
 * {@code summary}, plus the carrier of each open call); strings are JSON-escaped.
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

    /** Writes one complete event per call as {@link CallStacks} reports its end. */
    private static final class Writer implements CallListener
    {
        private final PrintWriter out;
        private final Definitions definitions;
        private final long pid;
        private final long origin;
        private final StringBuilder line = new StringBuilder(256);
        private boolean first = true;
        private boolean argsEmpty;
        /** The event being accepted: its carrier and exception class are not part of the callback. */
        private TraceEvent current;

        Writer(final PrintWriter out, final Definitions definitions, final long pid, final long origin)
        {
            this.out = out;
            this.definitions = definitions;
            this.pid = pid;
            this.origin = origin;
        }

        /** Keeps the carrier of each open call in the thread's attachment, in step with its stack. */
        @Override
        public void enter(final ThreadCalls thread, final int methodId, final long timestamp)
        {
            long[] carriers = (long[])thread.attachment;
            final int level = thread.depth() - 1;
            if (carriers == null || carriers.length <= level)
            {
                carriers = java.util.Arrays.copyOf(carriers == null ? new long[0] : carriers, Math.max(4, (level + 1) * 2));
                thread.attachment = carriers;
            }
            carriers[level] = current.carrierId();
        }

        @Override
        public void exit(
            final ThreadCalls thread, final int methodId, final long start, final long end, final long childNanos,
            final boolean exceptional)
        {
            complete(thread, methodId, start, end);
            if (exceptional)
            {
                Json.string(arg("exception"), definitions.className(current.exceptionClassId()));
            }
            emit(line.append("}}"));
        }

        @Override
        public void unclosed(final ThreadCalls thread, final int methodId, final long start)
        {
            complete(thread, methodId, start, Math.max(start, thread.lastTimestamp()));
            emit(arg("unclosed").append("true}}"));
        }

        @Override
        public void cut(final ThreadCalls thread, final int methodId, final long start)
        {
            complete(thread, methodId, start, Math.max(start, thread.lastTimestamp()));
            emit(arg("cutByLoss").append("true}}"));
        }

        /** Starts the line of the innermost open call, up to its {@code args} object left open. */
        private void complete(final ThreadCalls thread, final int methodId, final long start, final long end)
        {
            final StringBuilder line = this.line;
            final long threadId = thread.threadId();
            line.setLength(0);
            line.append("{\"name\":");
            Json.string(line, definitions.methodName(methodId));
            line.append(",\"cat\":\"method\",\"ph\":\"X\",\"ts\":");
            micros(line, start - origin).append(",\"dur\":");
            micros(line, end - start).append(",\"pid\":").append(pid).append(",\"tid\":").append(threadId)
                .append(",\"args\":{");
            argsEmpty = true;
            final long carrierId = ((long[])thread.attachment)[thread.depth() - 1];
            if (carrierId != threadId)
            {
                Json.string(arg("carrier"), definitions.threadLabel(carrierId));
            }
        }

        /** Appends the key of the next member of the open {@code args} object. */
        private StringBuilder arg(final String key)
        {
            if (!argsEmpty)
            {
                line.append(',');
            }
            argsEmpty = false;
            return line.append('"').append(key).append("\":");
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
