package io.relaytrace.relay;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Records for the global buffer from any thread, staged in a lock-free queue (multi-producer,
 * single consumer) that the channel's mover empties into the global buffer, so that the global
 * buffer has one writer at a time and application threads never wait for each other or for the
 * flusher there.
 * <p>
 * Two kinds of record. One that must be kept (a method or class definition: without it the events
 * that use it cannot be read) is never dropped: if the global buffer is full it waits at the head
 * of the queue until room is made. A droppable one (a thread's definition: without it only the
 * thread's name is missing) is staged only while the droppable records staged hold at most
 * {@code droppableLimit} bytes, so a stalled flusher under a storm of new threads holds a bounded
 * heap; beyond that, and when the global buffer refuses it, it is counted as dropped, and the count
 * reaches the global buffer's next header (and its final block) as its own refusals do.
 * <p>
 * Assumptions: one consumer at a time calls {@link #moveTo} and {@link #close} (the channel holds
 * its drain lock around them). Producers call {@link #stage} from any thread.
 * <p>
 * Guarantees: {@link #stage} never blocks or waits for another thread (a {@link ConcurrentLinkedQueue}
 * offer, and for a droppable record a compare-and-set loop on the bytes staged); it allocates the
 * record's copy and a queue node. Records move in the order they were staged. A record staged
 * concurrently with {@link #close} is either moved by the closer's last {@link #moveTo} or refused
 * (stage answers false and counts it), never left behind uncounted: the producer checks the closed
 * flag after its offer and withdraws its record if it can, which it cannot once the consumer took it.
 */
final class GlobalStaging
{
    private final ConcurrentLinkedQueue<Staged> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong droppableBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong tooBig = new AtomicLong();
    private final long droppableLimit;
    private final int maxLength;
    private volatile boolean closed;

    // The consumer's own.
    private Staged pending;
    private long droppedCounted;
    private long tooBigCounted;

    /**
     * @param maxLength      the longest record the global buffer takes.
     * @param droppableLimit bytes of droppable records that may wait at once, {@code >= 0}.
     */
    GlobalStaging(final int maxLength, final long droppableLimit)
    {
        this.maxLength = maxLength;
        this.droppableLimit = droppableLimit;
    }

    /**
     * Stages a copy of one record.
     *
     * @param droppable true for a record that may be dropped (counted) rather than wait.
     * @return true if staged; false if too big for the global buffer, or droppable and over the
     *     limit, or the channel is closed (each counted).
     * @throws IllegalArgumentException if {@code length <= 0}.
     */
    boolean stage(final byte[] src, final int off, final int length, final boolean droppable)
    {
        if (length <= 0)
        {
            throw new IllegalArgumentException("length=" + length + " must be > 0");
        }
        if (length > maxLength)
        {
            tooBig.incrementAndGet();
            return false;
        }
        if (closed || (droppable && !reserveBytes(length)))
        {
            dropped.incrementAndGet();
            return false;
        }
        final Staged staged = new Staged(Arrays.copyOfRange(src, off, off + length), droppable);
        queue.offer(staged);
        // After the offer: if the closer set the flag after this read, its last move sees the
        // record; if before, the record is withdrawn here unless the closer already took it.
        if (closed && queue.remove(staged))
        {
            release(staged);
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    private boolean reserveBytes(final int length)
    {
        long bytes;
        do
        {
            bytes = droppableBytes.get();
            if (bytes + length > droppableLimit)
            {
                return false;
            }
        }
        while (!droppableBytes.compareAndSet(bytes, bytes + length));
        return true;
    }

    private void release(final Staged staged)
    {
        if (staged.droppable)
        {
            droppableBytes.addAndGet(-staged.bytes.length);
        }
    }

    /**
     * Moves every staged record into {@code global}, in order; consumer only. A record the global
     * buffer refuses is tried once more after {@code makeRoom}; then a droppable one is counted as
     * dropped, and one that must be kept stays first in line for the next call.
     *
     * @param global   the global buffer, written by the caller only while this runs.
     * @param makeRoom frees finished sub-buffers of {@code global} (writes them out); false if it cannot.
     * @return false if a record that must be kept is still waiting.
     */
    boolean moveTo(final RelayBuffer global, final BooleanSupplier makeRoom)
    {
        // First, so that refusals reach the header of the next sub-buffer this move enters.
        countRefusals(global);
        while (true)
        {
            Staged staged = pending;
            pending = null;
            if (staged == null && (staged = queue.poll()) == null)
            {
                return true;
            }
            final byte[] bytes = staged.bytes;
            final boolean written = global.writeUncounted(bytes, 0, bytes.length) ||
                (makeRoom.getAsBoolean() && global.writeUncounted(bytes, 0, bytes.length));
            if (staged.droppable)
            {
                release(staged);
                if (!written)
                {
                    global.countRefused(1, 0);
                }
            }
            else if (!written)
            {
                pending = staged;
                return false;
            }
        }
    }

    private void countRefusals(final RelayBuffer global)
    {
        final long dropped = this.dropped.get();
        final long tooBig = this.tooBig.get();
        global.countRefused(dropped - droppedCounted, tooBig - tooBigCounted);
        droppedCounted = dropped;
        tooBigCounted = tooBig;
    }

    /**
     * Refuses every later record: call before the last {@link #moveTo}, which then takes everything
     * staged before or concurrently with this call that was not withdrawn.
     */
    void close()
    {
        closed = true;
    }

    /**
     * Gives up what is still waiting (records that must be kept, for a global buffer that had no
     * room at the last move of a closing channel); consumer only, after {@link #close}.
     *
     * @return records given up, for the caller to count.
     */
    int discard()
    {
        int discarded = 0;
        Staged staged = pending;
        pending = null;
        while (staged != null || (staged = queue.poll()) != null)
        {
            release(staged);
            discarded++;
            staged = null;
        }
        return discarded;
    }

    /** @return true when nothing waits to be moved; consumer only. */
    boolean isEmpty()
    {
        return pending == null && queue.isEmpty();
    }

    /** @return records refused so far at staging: dropped (over the limit, or closed) and too big. */
    long refused()
    {
        return dropped.get() + tooBig.get();
    }

    private static final class Staged
    {
        final byte[] bytes;
        final boolean droppable;

        Staged(final byte[] bytes, final boolean droppable)
        {
            this.bytes = bytes;
            this.droppable = droppable;
        }
    }
}
