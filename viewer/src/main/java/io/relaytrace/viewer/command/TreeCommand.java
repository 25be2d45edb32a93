package io.relaytrace.viewer.command;

import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.analysis.CallTree;
import io.relaytrace.viewer.analysis.TextTable;
import io.relaytrace.viewer.read.CallStacks;
import io.relaytrace.viewer.read.Definitions;
import io.relaytrace.viewer.read.ThreadCalls;
import io.relaytrace.viewer.read.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

import static io.relaytrace.viewer.analysis.Durations.format;

/** {@code tree TRACE_DIR}: each thread's call tree with calls, total and self time. */
@Command(name = "tree", mixinStandardHelpOptions = true,
    description = "The call tree of each thread: calls, exceptional exits, total and self time per call path.")
final class TreeCommand extends TraceCommand
{
    @Option(names = "--thread", paramLabel = "ID|NAME", description = "Only this thread (repeatable).")
    List<String> threads;

    @Option(names = "--max-depth", paramLabel = "N", description = "Show paths up to this depth (default: all).")
    int maxDepth = Integer.MAX_VALUE;

    @Option(names = "--merged", description = "One tree for all threads together (for many virtual threads).")
    boolean merged;

    @Override
    int run(final Trace trace, final PrintWriter out) throws IOException
    {
        final Definitions definitions = trace.definitions();
        final ThreadFilter filter = new ThreadFilter(threads, definitions);
        final CallTree tree = new CallTree();
        final CallStacks stacks = CallStacks.replay(trace, tree);
        if (merged)
        {
            out.println("all " + stacks.threads().size() + " threads: " + stacks.events() + " events, " +
                stacks.orphanExits() + " orphan exits, " + stacks.unclosedCalls() + " unclosed" + cut(stacks.callsCutByLoss()));
            printTree(tree.merged(), out, definitions);
            return ExitCodes.OK;
        }
        boolean first = true;
        for (final ThreadCalls thread : stacks.threads())
        {
            final CallTree.Node root = tree.root(thread.threadId());
            if (root == null || !filter.accepts(thread.threadId()))
            {
                continue;
            }
            if (!first)
            {
                out.println();
            }
            first = false;
            out.println("thread " + definitions.threadLabel(thread.threadId()) + ": " + thread.events() +
                " events, " + thread.calls() + " calls, " + thread.orphanExits() + " orphan exits, " +
                thread.unclosed() + " unclosed" + cut(thread.cutByLoss()));
            printTree(root, out, definitions);
        }
        return ExitCodes.OK;
    }

    /** Calls cut by a loss count in a node's {@code unclosed} column; the header says how many there are. */
    private static String cut(final long calls)
    {
        return calls == 0 ? "" : ", " + calls + " cut by loss (in the unclosed column)";
    }

    private void printTree(final CallTree.Node root, final PrintWriter out, final Definitions definitions)
    {
        final TextTable table = new TextTable("calls", "exceptions", "unclosed", "total", "self", "method").leftAligned(5);
        for (final CallTree.Node child : root.children())
        {
            addRows(table, child, 0, definitions);
        }
        table.print(out);
    }

    private void addRows(final TextTable table, final CallTree.Node node, final int depth, final Definitions definitions)
    {
        table.row(Long.toString(node.calls()), Long.toString(node.exceptions()), Long.toString(node.unclosed()),
            format(node.totalNanos()), format(node.selfNanos()), "  ".repeat(depth) + definitions.methodName(node.methodId()));
        if (depth + 1 < maxDepth)
        {
            for (final CallTree.Node child : node.children())
            {
                addRows(table, child, depth + 1, definitions);
            }
        }
    }
}
