package io.relaytrace.viewer.read;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An open-addressing map from {@code long} keys to objects, so that per-event lookups by thread
 * or method id neither box nor allocate. Not thread-safe.
 *
 * @param <V> the values.
 */
public final class LongObjectMap<V>
{
    private long[] keys = new long[16];
    private Object[] values = new Object[16];
    private int size;

    /** @return the value for {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public V get(final long key)
    {
        final int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask)
        {
            final Object value = values[i];
            if (value == null)
            {
                return null;
            }
            if (keys[i] == key)
            {
                return (V)value;
            }
        }
    }

    /** Sets the value for {@code key} (not null). */
    public void put(final long key, final V value)
    {
        if ((size + 1) * 2 > keys.length)
        {
            grow();
        }
        final int mask = keys.length - 1;
        for (int i = hash(key) & mask; ; i = (i + 1) & mask)
        {
            if (values[i] == null)
            {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
            if (keys[i] == key)
            {
                values[i] = value;
                return;
            }
        }
    }

    public int size()
    {
        return size;
    }

    /** Calls {@code action} with every value, in no particular order. */
    @SuppressWarnings("unchecked")
    public void forEachValue(final Consumer<V> action)
    {
        for (final Object value : values)
        {
            if (value != null)
            {
                action.accept((V)value);
            }
        }
    }

    private void grow()
    {
        final long[] oldKeys = keys;
        final Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++)
        {
            if (oldValues[i] != null)
            {
                @SuppressWarnings("unchecked")
                final V value = (V)oldValues[i];
                put(oldKeys[i], value);
            }
        }
        Arrays.fill(oldValues, null);
    }

    private static int hash(final long key)
    {
        final long h = key * 0x9E3779B97F4A7C15L;
        return (int)(h ^ (h >>> 32));
    }
}
