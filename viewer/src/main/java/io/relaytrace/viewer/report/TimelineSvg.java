package io.relaytrace.viewer.report;

import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.ThreadCalls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static io.relaytrace.viewer.analysis.Durations.format;

/**
 * The per-thread timeline as inline SVG: one {@code <g class="lane">} per thread (its label,
 * then its outermost calls as bars over the trace's time span); virtual threads in another
 * colour. Spans closer than a pixel are drawn as one bar, so a lane has at most about
 * {@link #WIDTH}/2 bars. At most {@link #MAX_LANES} threads, those with the most events.
 */
final class TimelineSvg
{
    static final double WIDTH = 1000;
    static final double LABEL = 300;
    static final int ROW = 18;
    static final int MAX_LANES = 256;

    private TimelineSvg()
    {
    }

    /** @return the {@code <svg>} element, and a note if threads were left out. */
    static String render(final CallStacks stacks, final Timeline timeline, final Definitions definitions, final long origin)
    {
        final List<ThreadCalls> threads = new ArrayList<>(stacks.threads());
        threads.sort(Comparator.comparingLong(ThreadCalls::events).reversed().thenComparingLong(ThreadCalls::threadId));
        final List<ThreadCalls> shown = threads.subList(0, Math.min(MAX_LANES, threads.size()));
        final long first = stacks.firstTimestamp();
        final long span = Math.max(1, stacks.lastTimestamp() - first);
        final double scale = WIDTH / span;
        final int height = (shown.size() + 1) * ROW + 4;
        final StringBuilder out = new StringBuilder(64 * 1024);
        out.append(String.format(Locale.ROOT,
            "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%d\" viewBox=\"0 0 %.0f %d\">%n",
            LABEL + WIDTH + 10, height, LABEL + WIDTH + 10, height));
        for (int tick = 0; tick <= 4; tick++)
        {
            final double x = LABEL + WIDTH * tick / 4;
            out.append(String.format(Locale.ROOT, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>" +
                "<text class=\"axis\" x=\"%.1f\" y=\"12\">%s</text>%n", x, ROW, x, height,
                tick == 4 ? x - 60 : x + 2, format(first - origin + span * tick / 4)));
        }
        int row = 1;
        for (final ThreadCalls thread : shown)
        {
            final long threadId = thread.threadId();
            final int y = row * ROW;
            final boolean virtual = definitions.isVirtual(threadId);
            out.append("<g class=\"lane").append(virtual ? " virtual" : "").append("\"><title>");
            Html.escape(out, definitions.threadLabel(threadId)).append(": ").append(thread.events()).append(" events, ")
                .append(thread.calls()).append(" calls</title>");
            out.append("<text class=\"thread\" x=\"2\" y=\"").append(y + ROW - 5).append("\">");
            final String label = definitions.threadLabel(threadId);
            Html.escape(out, label.length() <= 40 ? label : label.substring(0, 38) + "..").append("</text>");
            final Timeline.Lane lane = timeline.lane(thread);
            if (lane != null)
            {
                bars(out, lane, first, scale, y, definitions);
            }
            out.append("</g>\n");
            row++;
        }
        out.append("</svg>\n");
        if (shown.size() < threads.size())
        {
            out.append("<p>").append(threads.size() - shown.size()).append(" threads with fewer events are not shown.</p>\n");
        }
        return out.toString();
    }

    private static void bars(
        final StringBuilder out, final Timeline.Lane lane, final long first, final double scale, final int y,
        final Definitions definitions)
    {
        int i = 0;
        while (i < lane.count)
        {
            final double x = (lane.starts[i] - first) * scale;
            double end = (lane.ends[i] - first) * scale;
            long calls = lane.calls[i];
            final int from = i;
            i++;
            while (i < lane.count && (lane.starts[i] - first) * scale - end < 1)
            {
                end = Math.max(end, (lane.ends[i] - first) * scale);
                calls += lane.calls[i];
                i++;
            }
            out.append(String.format(Locale.ROOT, "<rect class=\"call\" x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"%d\"><title>",
                LABEL + x, y + 2, Math.max(1, end - x), ROW - 4));
            if (calls == 1)
            {
                Html.escape(out, definitions.methodName(lane.methodIds[from])).append(' ')
                    .append(format(lane.ends[from] - lane.starts[from]));
            }
            else
            {
                out.append(calls).append(" calls, from ");
                Html.escape(out, definitions.methodName(lane.methodIds[from]));
            }
            out.append("</title></rect>");
        }
    }
}
