package com.acme.workload;

/**
 * Constructed {@code Workload.ITEMS} times, and once more with a negative value, which
 * {@link #check} rejects: that constructor exits by an exception after its {@code super()} call.
 */
final class Item
{
    private final int value;

    Item(final int value)
    {
        this.value = check(value);
    }

    static int check(final int value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("value=" + value + " must be >= 0");
        }
        return value;
    }

    int value()
    {
        return value;
    }
}
