package io.relaytrace.relay;

import io.relaytrace.relay.clock.TraceClock;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The channel's background thread. Every poll interval it writes finished sub-buffers to the
 * files, every flush interval also the committed part of the sub-buffers being written (so an
 * idle carrier's last events reach the files), retires buffers whose carrier ended, and delivers
 * the wake-ups that writers only request (writers never unpark anyone: they may be inside the
 * virtual-thread scheduler or a lock).
 */
final class Flusher implements Runnable
{
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long CARRIER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long POOL_TRIM_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final RelayChannel channel;
    private final long flushIntervalNanos;
    private final Thread thread;
    private volatile boolean running = true;

    Flusher(final RelayChannel channel, final long flushIntervalNanos)
    {
        this.channel = channel;
        this.flushIntervalNanos = flushIntervalNanos;
        this.thread = new Thread(this, "relaytrace-flusher");
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    /** Stops the thread and waits for it; the caller does the final drain. */
    void stop()
    {
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() != thread)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run()
    {
        long nextFlush = System.nanoTime() + flushIntervalNanos;
        long nextCarrierCheck = System.nanoTime() + CARRIER_CHECK_NANOS;
        long nextPoolTrim = System.nanoTime() + POOL_TRIM_NANOS;
        while (running)
        {
            LockSupport.parkNanos(this, POLL_NANOS);
            if (!running)
            {
                break;
            }
            try
            {
                final long now = System.nanoTime();
                final boolean periodic = now - nextFlush >= 0;
                if (periodic)
                {
                    nextFlush = now + flushIntervalNanos;
                }
                // Every 50 ms, and at once when carriers came online: a server that cycles threads
                // must not hold the buffers of the dead ones for long. Before the drain: under load
                // a drain of every live buffer takes long, and the dead ones would wait it out.
                if (now - nextCarrierCheck >= 0 || channel.takeCarriersChanged())
                {
                    nextCarrierCheck = now + CARRIER_CHECK_NANOS;
                    channel.retireOfflineCarriers();
                }
                channel.backgroundDrain(periodic);
                if (now - nextPoolTrim >= 0)
                {
                    nextPoolTrim = now + POOL_TRIM_NANOS;
                    channel.trimPool();
                }
                channel.deliverWakeups();
                TraceClock.calibrate();
            }
            catch (final Throwable t)
            {
                channel.flusherFailed(t);
            }
        }
    }
}
