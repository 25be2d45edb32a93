package com.acme.workload;

import java.util.concurrent.CountDownLatch;

/**
 * A thread parked inside a traced method until released: its frame outlives a detach and a new
 * attach, so its exit runs the advice of the earlier trace.
 */
final class Holder
{
    private static final CountDownLatch HELD = new CountDownLatch(1);
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static Thread thread;

    private Holder()
    {
    }

    /** Starts the holding thread and returns once it is inside {@link #hold}. */
    static void start() throws InterruptedException
    {
        thread = new Thread(Holder::hold, "holder");
        thread.start();
        HELD.await();
    }

    /** Lets the holding thread leave {@link #hold} and waits until it has ended. */
    static void release() throws InterruptedException
    {
        RELEASE.countDown();
        thread.join();
    }

    static void hold()
    {
        HELD.countDown();
        try
        {
            RELEASE.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
