package io.relaytrace.demo;

/** Stock levels, shared by every order: reservations are synchronized. */
final class Inventory
{
    private final int[] stock = new int[97];

    synchronized void reserve(final int item)
    {
        stock[item % stock.length]++;
    }
}
