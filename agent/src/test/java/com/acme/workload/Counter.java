package com.acme.workload;

/** A synchronized method called from every thread of a pool. */
final class Counter
{
    private long count;

    synchronized void increment()
    {
        count++;
    }

    synchronized long count()
    {
        return count;
    }
}
