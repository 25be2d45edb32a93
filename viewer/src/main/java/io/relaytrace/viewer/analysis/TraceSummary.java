package io.relaytrace.viewer.analysis;

import io.relaytrace.viewer.read.BufferAccount;
import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.FileReport;
import io.relaytrace.viewer.read.ThreadCalls;
import io.relaytrace.viewer.read.Trace;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code summary} of a trace: totals and per-method statistics, from one pass over its
 * events.
 *
 * @param events         ENTER, EXIT and THROW records read.
 * @param lost           events lost between blocks (Events Before gaps).
 * @param dropped        events refused because a buffer was full.
 * @param tooBig         events larger than a sub-buffer.
 * @param failed         events the traced JVM's recorder was called for but failed to record (an
 *                       error inside it, such as a stack overflow), from the close marker: in no
 *                       file, and 0 without a marker (or with a version 1 one, which did not count them).
 * @param definitionsLost    definitions (the global buffer's records) lost between its blocks: not
 *                           events, so not in {@code lost}.
 * @param definitionsDropped definitions the global buffer refused because it was full (THREAD_DEFs
 *                           of new threads): not events, so not in {@code dropped}, which with
 *                           {@code events}, {@code lost}, {@code tooBig} and {@code failed} adds
 *                           up to the events the application attempted (less the close marker's
 *                           unattributed ones, refused for want of a buffer).
 * @param threads        threads with events.
 * @param virtualThreads of them, virtual.
 * @param carriers       carrier threads whose buffers hold events.
 * @param spanNanos      from the first to the last event.
 * @param orphanExits    exits of calls that began before the trace.
 * @param unclosedCalls  calls that never completed: the trace ended inside them, or a caller's
 *                       exit closed them (their own exit was lost where no loss shows).
 * @param callsCutByLoss calls cut because their thread may have lost events while they were
 *                       open: neither completed (no made-up duration) nor unclosed.
 * @param incomplete     no valid clean-close marker.
 * @param methods        per method, most total time first.
 */
public record TraceSummary(
    long events,
    long lost,
    long dropped,
    long tooBig,
    long failed,
    long definitionsLost,
    long definitionsDropped,
    int threads,
    int virtualThreads,
    int carriers,
    long spanNanos,
    long orphanExits,
    long unclosedCalls,
    long callsCutByLoss,
    boolean incomplete,
    List<MethodStats> methods)
{
    /**
     * @param trace an opened trace.
     * @return its summary.
     * @throws IOException if a file cannot be read.
     */
    public static TraceSummary of(final Trace trace) throws IOException
    {
        final MethodSummary methods = new MethodSummary(trace.definitions());
        final CallStacks stacks = CallStacks.replay(trace, methods);
        return of(stacks, methods, trace.definitions(), trace.files(), trace.failed(), trace.isIncomplete());
    }

    /**
     * The summary of what has been read so far, as {@code follow} prints it while a trace grows.
     *
     * @param stacks      the stacks the events went to.
     * @param methods     the listener of those stacks.
     * @param definitions the trace's definitions.
     * @param files       the reports of the files read (lost, dropped, too big, carriers).
     * @param failed      events the recorder failed to record, from the close marker (0 without one).
     * @param incomplete  true if the trace is not (yet) closed cleanly.
     * @return the summary.
     */
    public static TraceSummary of(
        final CallStacks stacks, final MethodSummary methods, final Definitions definitions, final List<FileReport> files,
        final long failed, final boolean incomplete)
    {
        int virtual = 0;
        for (final ThreadCalls thread : stacks.threads())
        {
            if (definitions.isVirtual(thread.threadId()))
            {
                virtual++;
            }
        }
        final Set<Long> carrierIds = new HashSet<>();
        for (final FileReport file : files)
        {
            for (final BufferAccount buffer : file.buffers())
            {
                if (!file.isGlobal() && buffer.records() > 0)
                {
                    carrierIds.add(buffer.carrierId());
                }
            }
        }
        final long span = stacks.events() == 0 ? 0 : stacks.lastTimestamp() - stacks.firstTimestamp();
        // The global file's records are definitions: their losses are counted apart from the events'.
        return new TraceSummary(stacks.events(), FileReport.total(files, false, FileReport::lost),
            FileReport.total(files, false, FileReport::dropped), FileReport.total(files, false, FileReport::tooBig), failed,
            FileReport.total(files, true, FileReport::lost), FileReport.total(files, true, FileReport::dropped),
            stacks.threads().size(), virtual, carrierIds.size(), span, stacks.orphanExits(), stacks.unclosedCalls(),
            stacks.callsCutByLoss(), incomplete, methods.byTotalTime());
    }

    /**
     * The summary as exactly one JSON object, the contract scripts and tests rely on:
     * <pre>{@code
     * {"events":N,"lost":N,"dropped":N,"threads":N,"virtualThreads":N,"incomplete":bool,
     *  "callsCutByLoss":N,"definitionsLost":N,"definitionsDropped":N,"failed":N,
     *  "methods":[{"method":"com.acme.Cart.add(java.lang.String,int)","calls":N,"exceptions":N,
     *  "totalNanos":N,"selfNanos":N,"minNanos":N,"p50Nanos":N,"p90Nanos":N,"p99Nanos":N,
     *  "p999Nanos":N,"maxNanos":N}, ...]}
     * }</pre>
     * on one line, methods most total time first.
     */
    public String toJson()
    {
        final StringBuilder out = new StringBuilder(256 + methods.size() * 256);
        out.append("{\"events\":").append(events)
            .append(",\"lost\":").append(lost)
            .append(",\"dropped\":").append(dropped)
            .append(",\"threads\":").append(threads)
            .append(",\"virtualThreads\":").append(virtualThreads)
            .append(",\"incomplete\":").append(incomplete)
            .append(",\"callsCutByLoss\":").append(callsCutByLoss)
            .append(",\"definitionsLost\":").append(definitionsLost)
            .append(",\"definitionsDropped\":").append(definitionsDropped)
            .append(",\"failed\":").append(failed)
            .append(",\"methods\":[");
        for (int i = 0; i < methods.size(); i++)
        {
            final MethodStats m = methods.get(i);
            if (i > 0)
            {
                out.append(',');
            }
            out.append("{\"method\":");
            Json.string(out, m.name());
            out.append(",\"calls\":").append(m.calls())
                .append(",\"exceptions\":").append(m.exceptions())
                .append(",\"totalNanos\":").append(m.totalNanos())
                .append(",\"selfNanos\":").append(m.selfNanos())
                .append(",\"minNanos\":").append(m.minNanos())
                .append(",\"p50Nanos\":").append(m.percentileNanos(50))
                .append(",\"p90Nanos\":").append(m.percentileNanos(90))
                .append(",\"p99Nanos\":").append(m.percentileNanos(99))
                .append(",\"p999Nanos\":").append(m.percentileNanos(99.9))
                .append(",\"maxNanos\":").append(m.maxNanos())
                .append('}');
        }
        return out.append("]}").toString();
    }
}
