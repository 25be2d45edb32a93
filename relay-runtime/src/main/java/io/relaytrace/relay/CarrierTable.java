package io.relaytrace.relay;

/**
 * Carrier thread id to buffer: open addressing, copy-on-write. Lookups (the write path) read one
 * volatile array reference and probe it without locks; carriers coming online or going offline
 * (rare) rebuild the array under the channel's lock.
 */
final class CarrierTable
{
    private volatile RelayBuffer[] table = new RelayBuffer[16];

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

    /** Caller holds the channel's lock. */
    void put(final RelayBuffer buffer)
    {
        table = rebuild(buffer, null);
    }

    /** Caller holds the channel's lock. */
    void remove(final RelayBuffer buffer)
    {
        table = rebuild(null, buffer);
    }

    private RelayBuffer[] rebuild(final RelayBuffer add, final RelayBuffer remove)
    {
        final RelayBuffer[] old = table;
        int count = add == null ? 0 : 1;
        for (final RelayBuffer b : old)
        {
            if (b != null && b != remove)
            {
                count++;
            }
        }
        int capacity = 16;
        while (capacity < count * 2)
        {
            capacity <<= 1;
        }
        final RelayBuffer[] fresh = new RelayBuffer[capacity];
        for (final RelayBuffer b : old)
        {
            if (b != null && b != remove)
            {
                insert(fresh, b);
            }
        }
        if (add != null)
        {
            insert(fresh, add);
        }
        return fresh;
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
