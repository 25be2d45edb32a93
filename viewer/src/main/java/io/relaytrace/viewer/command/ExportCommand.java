package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.analysis.CallTree;
import io.relaytrace.viewer.analysis.Glob;
import io.relaytrace.viewer.analysis.MethodStats;
import io.relaytrace.viewer.analysis.TraceSummary;
import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.ThreadCalls;
import io.relaytrace.viewer.read.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code export TRACE_DIR --format collapsed|hgrm}: folded stacks for flame graph tools (self time
 * in ns per call path, all threads together), or HdrHistogram percentile distributions per method
 * (values in ns).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"collapsed: one line per call path, 'frame;frame;frame <self ns>', for flame graph tools.",
        "hgrm: the HdrHistogram percentile distribution of each method's call durations (ns)."})
final class ExportCommand extends TraceCommand
{
    /** The formats {@code --format} accepts. */
    enum Format
    {
        collapsed, hgrm
    }

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "collapsed or hgrm.")
    Format format;

    @Option(names = "--method", paramLabel = "GLOB", description = "hgrm: only methods matching this glob.")
    String method;

    @Override
    int run(final Trace trace, final PrintWriter out) throws IOException
    {
        if (format == Format.collapsed)
        {
            collapsed(trace, out);
        }
        else
        {
            hgrm(trace, out);
        }
        return ExitCodes.OK;
    }

    private static void collapsed(final Trace trace, final PrintWriter out) throws IOException
    {
        final CallTree tree = new CallTree();
        final CallStacks stacks = CallStacks.replay(trace, tree);
        final Map<String, Long> folded = new TreeMap<>();
        final Definitions definitions = trace.definitions();
        for (final ThreadCalls thread : stacks.threads())
        {
            final CallTree.Node root = tree.root(thread.threadId());
            if (root != null)
            {
                for (final CallTree.Node child : root.children())
                {
                    fold(child, new StringBuilder(), folded, definitions);
                }
            }
        }
        for (final Map.Entry<String, Long> path : folded.entrySet())
        {
            out.println(path.getKey() + " " + path.getValue());
        }
    }

    private static void fold(
        final CallTree.Node node, final StringBuilder path, final Map<String, Long> folded, final Definitions definitions)
    {
        final int mark = path.length();
        if (mark > 0)
        {
            path.append(';');
        }
        path.append(definitions.methodName(node.methodId()).replace(' ', '_'));
        if (node.selfNanos() > 0)
        {
            folded.merge(path.toString(), node.selfNanos(), Long::sum);
        }
        for (final CallTree.Node child : node.children())
        {
            fold(child, path, folded, definitions);
        }
        path.setLength(mark);
    }

    private void hgrm(final Trace trace, final PrintWriter out) throws IOException
    {
        final Glob glob = method == null ? null : new Glob(method);
        for (final MethodStats stats : TraceSummary.of(trace).methods())
        {
            if (stats.calls() == 0 || (glob != null && !glob.matches(stats.name())))
            {
                continue;
            }
            out.println("# method: " + stats.name() + " (values in ns)");
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (PrintStream print = new PrintStream(bytes, true, StandardCharsets.UTF_8))
            {
                stats.histogram().outputPercentileDistribution(print, 1.0);
            }
            out.print(bytes.toString(StandardCharsets.UTF_8));
            out.println();
        }
    }
}
