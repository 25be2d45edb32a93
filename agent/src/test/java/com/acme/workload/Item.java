package com.acme.workload;

/** Constructed {@code Workload.ITEMS} times. */
final class Item
{
    private final int value;

    Item(final int value)
    {
        this.value = value;
    }

    int value()
    {
        return value;
    }
}
