package io.relaytrace.viewer.analysis;

import io.relaytrace.viewer.read.CallListener;
import io.relaytrace.viewer.read.LongObjectMap;
import io.relaytrace.viewer.read.ThreadCalls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A call tree per thread: one node per distinct call path, with its calls, total and self time
 * and exceptional exits. Memory grows with the number of distinct paths, not with calls.
 * Calls that never completed count in {@link Node#unclosed()} and add no time.
 */
public final class CallTree implements CallListener
{
    private final LongObjectMap<Node> roots = new LongObjectMap<>();
    private final List<Node> rootOrder = new ArrayList<>();

    /** One call path: the method called at the end of it. */
    public static final class Node
    {
        private final Node parent;
        private final int methodId;
        private final LongObjectMap<Node> children = new LongObjectMap<>();
        private long calls;
        private long exceptions;
        private long unclosed;
        private long totalNanos;
        private long selfNanos;

        Node(final Node parent, final int methodId)
        {
            this.parent = parent;
            this.methodId = methodId;
        }

        Node child(final int methodId)
        {
            Node child = children.get(methodId);
            if (child == null)
            {
                child = new Node(this, methodId);
                children.put(methodId, child);
            }
            return child;
        }

        /** @return 0 for a thread's root. */
        public int methodId()
        {
            return methodId;
        }

        public long calls()
        {
            return calls;
        }

        public long exceptions()
        {
            return exceptions;
        }

        public long unclosed()
        {
            return unclosed;
        }

        public long totalNanos()
        {
            return totalNanos;
        }

        public long selfNanos()
        {
            return selfNanos;
        }

        /** @return the callees, most total time first. */
        public List<Node> children()
        {
            final List<Node> list = new ArrayList<>(children.size());
            children.forEachValue(list::add);
            list.sort(Comparator.comparingLong(Node::totalNanos).reversed().thenComparingInt(Node::methodId));
            return list;
        }
    }

    @Override
    public void enter(final ThreadCalls thread, final int methodId, final long timestamp)
    {
        thread.attachment = current(thread).child(methodId);
    }

    @Override
    public void exit(
        final ThreadCalls thread, final int methodId, final long start, final long end, final long childNanos,
        final boolean exceptional)
    {
        final Node node = current(thread);
        final long duration = Math.max(0, end - start);
        node.calls++;
        node.totalNanos += duration;
        node.selfNanos += Math.max(0, duration - childNanos);
        if (exceptional)
        {
            node.exceptions++;
        }
        thread.attachment = node.parent;
    }

    @Override
    public void unclosed(final ThreadCalls thread, final int methodId, final long start)
    {
        final Node node = current(thread);
        node.unclosed++;
        thread.attachment = node.parent;
    }

    private Node current(final ThreadCalls thread)
    {
        Node node = (Node)thread.attachment;
        if (node == null)
        {
            node = roots.get(thread.threadId());
            if (node == null)
            {
                node = new Node(null, 0);
                roots.put(thread.threadId(), node);
                rootOrder.add(node);
            }
            thread.attachment = node;
        }
        return node;
    }

    /**
     * @return one tree for all threads together: each call path's counts and times summed over
     *     the threads that took it (a root with method id 0).
     */
    public Node merged()
    {
        final Node merged = new Node(null, 0);
        for (final Node root : rootOrder)
        {
            addInto(merged, root);
        }
        return merged;
    }

    private static void addInto(final Node into, final Node from)
    {
        into.calls += from.calls;
        into.exceptions += from.exceptions;
        into.unclosed += from.unclosed;
        into.totalNanos += from.totalNanos;
        into.selfNanos += from.selfNanos;
        from.children.forEachValue(child -> addInto(into.child(child.methodId), child));
    }

    /** @return the root of a thread's tree (method id 0), or null if it had no calls. */
    public Node root(final long threadId)
    {
        return roots.get(threadId);
    }
}
