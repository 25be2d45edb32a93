package io.relaytrace.viewer.report;

import io.relaytrace.viewer.analysis.CallTree;
import io.relaytrace.viewer.analysis.MethodStats;
import io.relaytrace.viewer.analysis.TraceSummary;
import io.relaytrace.viewer.read.CallListener;
import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.Problem;
import io.relaytrace.viewer.read.Trace;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;

import static io.relaytrace.viewer.analysis.Durations.format;

/**
 * The {@code report} command's HTML file: one self-contained page (inline CSS and SVG, no script,
 * nothing fetched) holding the summary's totals and per-method table, the problems found, a flame
 * graph of all threads' calls merged ({@link FlameGraphSvg}) and a per-thread timeline of
 * outermost calls ({@link TimelineSvg}).
 * <p>
 * Guarantees: every string from the trace is HTML-escaped ({@link Html}); two passes over the
 * events (the summary's, then one for the tree and the timeline); memory as for {@code summary}
 * plus the call paths and at most {@link Timeline#MAX_SPANS} spans per thread.
 * <p>
 * Example: {@code relaytrace-viewer report /tmp/trace -o report.html}.
 */
public final class HtmlReport
{
    private static final int MAX_PROBLEMS = 20;
    private static final String STYLE =
        "body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}" +
        "h1{font-size:18px}h2{font-size:15px;margin-top:24px}" +
        "table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:right}" +
        "td.name,th.name{text-align:left;font-family:monospace}" +
        "svg text{font:11px monospace;fill:#000}svg text.axis{fill:#555}" +
        "line.tick{stroke:#ccc}g.frame rect{stroke:#fff;stroke-width:0.5}" +
        "rect.call{fill:#3b7dd8}g.virtual rect.call{fill:#2fa37a}" +
        ".problems li{font-family:monospace}";

    private HtmlReport()
    {
    }

    /**
     * @param trace an opened trace.
     * @param title what the report is of, e.g. the trace directory.
     * @param out   where the page goes.
     * @throws IOException if the trace cannot be read or the page written.
     */
    public static void write(final Trace trace, final String title, final Writer out) throws IOException
    {
        final TraceSummary summary = TraceSummary.of(trace);
        final CallTree tree = new CallTree();
        final Timeline timeline = new Timeline();
        final CallStacks stacks = CallStacks.replay(trace, CallListener.both(tree, timeline));

        final StringBuilder page = new StringBuilder(64 * 1024);
        page.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">" +
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">" +
            "<title>relaytrace report: ");
        Html.escape(page, title).append("</title><style>").append(STYLE).append("</style></head><body>\n");
        page.append("<h1>relaytrace report: ");
        Html.escape(page, title).append("</h1>\n");
        totals(page, trace, summary);
        problems(page, trace);
        methods(page, summary);
        out.append(page);
        page.setLength(0);
        if (stacks.events() == 0)
        {
            out.append("<h2>Flame graph and timeline</h2>\n<p>No calls were traced.</p>\n</body></html>\n");
            out.flush();
            return;
        }

        final FlameGraphSvg flame = new FlameGraphSvg(trace.definitions());
        final String svg = flame.render(tree.merged());
        page.append("<h2>Flame graph</h2>\n<p>All threads merged; the outermost calls on top, each call path as wide as " +
            "its share of the total time. Hover a frame for its counts.");
        if (flame.hidden() > 0)
        {
            page.append(' ').append(flame.hidden()).append(" call paths narrower than half a pixel are not drawn.");
        }
        page.append("</p>\n<div class=\"scroll\">").append(svg).append("</div>\n");
        page.append("<h2>Timeline</h2>\n<p>Each thread's outermost calls over the trace's time (since it started); " +
            "virtual threads in green. Hover a bar for its calls.</p>\n");
        page.append(TimelineSvg.render(stacks, timeline, trace.definitions(), trace.header().clockNanoTime()));
        page.append("</body></html>\n");
        out.append(page);
        out.flush();
    }

    private static void totals(final StringBuilder page, final Trace trace, final TraceSummary summary)
    {
        page.append("<h2>Summary</h2>\n<table class=\"totals\">");
        row(page, "started", Instant.ofEpochSecond(0, trace.header().clockEpochNanos()).toString());
        row(page, "traced JVM pid", Long.toString(trace.header().pid()));
        row(page, "closed cleanly", summary.incomplete() ? "no (incomplete)" : "yes");
        row(page, "events", Long.toString(summary.events()));
        row(page, "lost / dropped / too big", summary.lost() + " / " + summary.dropped() + " / " + summary.tooBig());
        row(page, "events failed to record", Long.toString(summary.failed()));
        row(page, "definitions lost / dropped", summary.definitionsLost() + " / " + summary.definitionsDropped());
        row(page, "threads (virtual)", summary.threads() + " (" + summary.virtualThreads() + ")");
        row(page, "carriers", Integer.toString(summary.carriers()));
        row(page, "span", format(summary.spanNanos()));
        row(page, "orphan exits / unclosed calls", summary.orphanExits() + " / " + summary.unclosedCalls());
        page.append("</table>\n");
    }

    private static void row(final StringBuilder page, final String name, final String value)
    {
        page.append("<tr><th class=\"name\">").append(name).append("</th><td>");
        Html.escape(page, value).append("</td></tr>");
    }

    private static void problems(final StringBuilder page, final Trace trace)
    {
        if (trace.problems().isEmpty())
        {
            return;
        }
        page.append("<h2>Problems</h2>\n<ul class=\"problems\">");
        for (int i = 0; i < Math.min(MAX_PROBLEMS, trace.problems().size()); i++)
        {
            final Problem problem = trace.problems().get(i);
            page.append("<li>");
            Html.escape(page, problem.toString()).append("</li>");
        }
        page.append("</ul>\n");
        if (trace.problems().size() > MAX_PROBLEMS)
        {
            page.append("<p>").append(trace.problems().size() - MAX_PROBLEMS).append(" more: 'check' lists them all.</p>\n");
        }
    }

    private static void methods(final StringBuilder page, final TraceSummary summary)
    {
        page.append("<h2>Methods</h2>\n<table class=\"methods\"><tr><th class=\"name\">method</th><th>calls</th>" +
            "<th>exceptions</th><th>total</th><th>self</th><th>min</th><th>p50</th><th>p90</th><th>p99</th>" +
            "<th>p99.9</th><th>max</th></tr>\n");
        for (final MethodStats m : summary.methods())
        {
            page.append("<tr class=\"method\"><td class=\"name\">");
            Html.escape(page, m.name()).append("</td>");
            cell(page, Long.toString(m.calls()));
            cell(page, Long.toString(m.exceptions()));
            cell(page, format(m.totalNanos()));
            cell(page, format(m.selfNanos()));
            cell(page, format(m.minNanos()));
            cell(page, format(m.percentileNanos(50)));
            cell(page, format(m.percentileNanos(90)));
            cell(page, format(m.percentileNanos(99)));
            cell(page, format(m.percentileNanos(99.9)));
            cell(page, format(m.maxNanos()));
            page.append("</tr>\n");
        }
        page.append("</table>\n");
    }

    private static void cell(final StringBuilder page, final String value)
    {
        page.append("<td>").append(value).append("</td>");
    }
}
