package io.relaytrace.relay;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One immutable snapshot of a channel's buffers: carrier thread id to buffer (open addressing),
 * the list the flusher walks (the global buffer first), whether the channel is closed, and how
 * many buffers the channel ever had. The channel publishes a new snapshot by compare-and-set on
 * one reference, so a carrier coming online, the flusher retiring one and {@code close()} never
 * take a lock: a publisher that loses the race builds again from the winner's snapshot, and one of
 * them always succeeds (lock-free).
 * <p>
 * Guarantees: a lookup (the write path) reads the table of the snapshot it was given, without
 * locks, allocation or atomic read-modify-write. A closed snapshot only ever gives way to closed
 * snapshots with fewer buffers: nothing comes online in a closed channel, so {@code close()} drains
 * exactly the buffers of the last snapshot, and a carrier whose publication lost to close gives its
 * memory back itself.
 * <p>
 * The publishing loops ({@link #publish}, {@link #unpublish}, {@link #publishClosed}) work on the
 * owner's own field through a {@link VarHandle}, so that the owner (the channel) reads its snapshot
 * with one volatile load on the write path.
 */
final class CarrierTable
{
    private static final int MIN_CAPACITY = 16;
    private static final RelayBuffer[] NO_BUFFERS = new RelayBuffer[0];

    /** Probed by {@link #get}; null slots end a probe. Twice the carriers at least. */
    private final RelayBuffer[] table;
    private final RelayBuffer[] buffers;
    private final boolean closed;
    private final int ever;

    private CarrierTable(final RelayBuffer[] table, final RelayBuffer[] buffers, final boolean closed, final int ever)
    {
        this.table = table;
        this.buffers = buffers;
        this.closed = closed;
        this.ever = ever;
    }

    /**
     * Adds a buffer coming online.
     *
     * @param snapshot the owner's {@code CarrierTable} field.
     * @param owner    the object holding it.
     * @param buffer   a carrier's buffer.
     * @return true if {@code buffer} is now in the owner's snapshot; false if that snapshot is closed
     *     or its carrier already has a buffer (a virtual thread that moved and came back meanwhile):
     *     the caller gives the buffer's memory back.
     */
    static boolean publish(final VarHandle snapshot, final Object owner, final RelayBuffer buffer)
    {
        while (true)
        {
            final CarrierTable current = (CarrierTable)snapshot.getVolatile(owner);
            if (current.closed || current.get(buffer.carrierId()) != null)
            {
                return false;
            }
            if (snapshot.compareAndSet(owner, current, current.with(buffer)))
            {
                return true;
            }
        }
    }

    /**
     * Takes a retired buffer out, whether the snapshot is closed or not.
     *
     * @return false if it was not in the owner's snapshot.
     */
    static boolean unpublish(final VarHandle snapshot, final Object owner, final RelayBuffer buffer)
    {
        while (true)
        {
            final CarrierTable current = (CarrierTable)snapshot.getVolatile(owner);
            if (!current.contains(buffer))
            {
                return false;
            }
            if (snapshot.compareAndSet(owner, current, current.without(buffer)))
            {
                return true;
            }
        }
    }

    /**
     * Closes the owner's snapshot: from then on nothing is published.
     *
     * @return the snapshot that closed it (the buffers to finalize); null if it was closed already.
     */
    static CarrierTable publishClosed(final VarHandle snapshot, final Object owner)
    {
        while (true)
        {
            final CarrierTable current = (CarrierTable)snapshot.getVolatile(owner);
            if (current.closed)
            {
                return null;
            }
            final CarrierTable closed = current.close();
            if (snapshot.compareAndSet(owner, current, closed))
            {
                return closed;
            }
        }
    }

    /** @return the snapshot of a channel that has no buffer yet, not even the global one. */
    static CarrierTable empty()
    {
        return new CarrierTable(new RelayBuffer[MIN_CAPACITY], NO_BUFFERS, false, 0);
    }

    /**
     * @param carrierId a carrier's thread id.
     * @return its buffer in this snapshot, or null.
     */
    RelayBuffer get(final long carrierId)
    {
        final RelayBuffer[] table = this.table;
        final int mask = table.length - 1;
        int i = index(carrierId, mask);
        RelayBuffer buffer;
        while ((buffer = table[i]) != null)
        {
            if (buffer.carrierId() == carrierId)
            {
                return buffer;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** @return every buffer of this snapshot, the global one first; the caller must not modify it. */
    RelayBuffer[] buffers()
    {
        return buffers;
    }

    boolean isClosed()
    {
        return closed;
    }

    /** @return buffers the channel ever had, this snapshot's and every retired one, the global one included. */
    int ever()
    {
        return ever;
    }

    /** @return whether {@code buffer} is one of this snapshot's. */
    boolean contains(final RelayBuffer buffer)
    {
        for (final RelayBuffer b : buffers)
        {
            if (b == buffer)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @param buffer a buffer not in this snapshot; the global buffer (carrier id -1) is listed, not keyed.
     * @return this snapshot plus {@code buffer}, counted in {@link #ever()}.
     */
    CarrierTable with(final RelayBuffer buffer)
    {
        final RelayBuffer[] fresh = Arrays.copyOf(buffers, buffers.length + 1);
        fresh[buffers.length] = buffer;
        return new CarrierTable(buildTable(fresh), fresh, closed, ever + 1);
    }

    /** @return this snapshot without {@code buffer} (closed if this one is). */
    CarrierTable without(final RelayBuffer buffer)
    {
        final RelayBuffer[] fresh = new RelayBuffer[buffers.length - 1];
        int j = 0;
        for (final RelayBuffer b : buffers)
        {
            if (b != buffer)
            {
                fresh[j++] = b;
            }
        }
        return new CarrierTable(buildTable(fresh), fresh, closed, ever);
    }

    /** @return this snapshot, closed: the carrier table stays readable for writers still looking. */
    CarrierTable close()
    {
        return new CarrierTable(table, buffers, true, ever);
    }

    private static RelayBuffer[] buildTable(final RelayBuffer[] buffers)
    {
        int capacity = MIN_CAPACITY;
        while (capacity < buffers.length * 2)
        {
            capacity <<= 1;
        }
        final RelayBuffer[] table = new RelayBuffer[capacity];
        for (final RelayBuffer buffer : buffers)
        {
            if (buffer.carrierId() >= 0)
            {
                insert(table, buffer);
            }
        }
        return table;
    }

    private static void insert(final RelayBuffer[] table, final RelayBuffer buffer)
    {
        final int mask = table.length - 1;
        int i = index(buffer.carrierId(), mask);
        while (table[i] != null)
        {
            i = (i + 1) & mask;
        }
        table[i] = buffer;
    }

    private static int index(final long carrierId, final int mask)
    {
        return (int)(carrierId * 0x9E3779B97F4A7C15L >>> 32) & mask;
    }
}
