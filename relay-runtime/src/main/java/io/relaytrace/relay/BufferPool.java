package io.relaytrace.relay;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Process memory given back by carriers that ended, for the next carriers to come online: a
 * carrier's first write then needs no allocation, and a server that cycles threads reuses a few
 * buffers instead of allocating one per thread.
 * <p>
 * Assumptions: every {@link BufferMemory} put here is no longer written or read by anyone (its
 * buffer was finalized and drained); all of them have the channel's buffer size.
 * <p>
 * Guarantees:
 * <ul>
 *   <li>{@link #take()} never waits and never allocates: a lock-free stack, so a carrier coming
 *       online (an application thread) never queues behind the flusher giving memory back, nor
 *       behind other carriers.</li>
 *   <li>The pool holds at most {@code limit} buffers; memory beyond is left to the garbage collector
 *       (a direct buffer's memory is freed by its cleaner after the next collection).</li>
 *   <li>It holds no more than the carriers recently needed: {@link #trim} gives up the buffers that
 *       lay unused through a whole trim interval (the pool's low-water mark since the last trim),
 *       keeping {@code floor}. So after a burst of threads ended, the pool's memory goes back down
 *       within two trim intervals, and under steady churn the pool stays at what the churn takes.</li>
 * </ul>
 * Example, the channel's use:
 * <pre>{@code
 * BufferMemory memory = pool.take();           // a carrier comes online
 * if (memory == null) memory = new BufferMemory.Direct(size);
 * ...
 * pool.give(memory);                           // the flusher retired its buffer
 * pool.trim();                                 // the flusher, once a second
 * }</pre>
 */
final class BufferPool
{
    private final int limit;
    private final int floor;
    private final AtomicReference<Node> top = new AtomicReference<>();
    private final AtomicInteger size = new AtomicInteger();
    /** The smallest size since the last trim: buffers that many were never needed in between. */
    private final AtomicInteger lowWater = new AtomicInteger();

    /**
     * @param limit the most buffers kept, {@code >= 0}.
     * @param floor buffers kept however long unused (the usual carriers, so they never allocate),
     *              at most {@code limit}.
     */
    BufferPool(final int limit, final int floor)
    {
        if (limit < 0 || floor < 0)
        {
            throw new IllegalArgumentException("limit=" + limit + " floor=" + floor + " must be >= 0");
        }
        this.limit = limit;
        this.floor = Math.min(floor, limit);
    }

    /** @return a buffer's memory, or null if the pool is empty. */
    BufferMemory take()
    {
        Node node;
        do
        {
            node = top.get();
            if (node == null)
            {
                return null;
            }
        }
        while (!top.compareAndSet(node, node.next));
        lowerLowWater(size.decrementAndGet());
        return node.memory;
    }

    /**
     * Keeps a buffer's memory for the next carrier.
     *
     * @return false if the pool is full (the memory is then the garbage collector's).
     */
    boolean give(final BufferMemory memory)
    {
        if (size.incrementAndGet() > limit)
        {
            size.decrementAndGet();
            return false;
        }
        final Node node = new Node(memory);
        do
        {
            node.next = top.get();
        }
        while (!top.compareAndSet(node.next, node));
        return true;
    }

    /**
     * Gives up the buffers that lay unused since the last trim, down to the floor, and starts the
     * next interval. Called by one thread (the flusher) at a fixed interval.
     *
     * @return how many buffers were given up.
     */
    int trim()
    {
        final int unused = lowWater.getAndSet(Integer.MAX_VALUE);
        int released = 0;
        while (released < unused && size.get() > floor && take() != null)
        {
            released++;
        }
        lowWater.set(size.get());
        return released;
    }

    /** @return buffers in the pool now (a snapshot: carriers may be taking them). */
    int size()
    {
        return Math.max(0, size.get());
    }

    /** @return whether the pool had no buffer at the moment of the call. */
    boolean isEmpty()
    {
        return top.get() == null;
    }

    private void lowerLowWater(final int size)
    {
        int low;
        while (size < (low = lowWater.get()) && !lowWater.compareAndSet(low, size))
        {
            Thread.onSpinWait();
        }
    }

    private static final class Node
    {
        private final BufferMemory memory;
        private Node next;

        Node(final BufferMemory memory)
        {
            this.memory = memory;
        }
    }
}
