package io.relaytrace.viewer.export;

import io.relaytrace.viewer.analysis.CallTree;
import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.ThreadCalls;
import io.relaytrace.viewer.read.Trace;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/**
 * Folded stacks for flame graph tools (Brendan Gregg's {@code flamegraph.pl}, speedscope,
 * inferno): one line per call path, {@code frame;frame;frame <self ns>}, all threads together,
 * paths in lexical order. Spaces in method names become {@code _} since the count follows the
 * last space.
 */
public final class CollapsedStacksExport implements TextExport
{
    @Override
    public void write(final Trace trace, final PrintWriter out) throws IOException
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
}
