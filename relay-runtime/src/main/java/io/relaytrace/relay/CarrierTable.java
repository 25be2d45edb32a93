package io.relaytrace.relay;

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
