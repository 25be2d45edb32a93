package com.acme.workload;

import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

/**
 * Traced work whose amount a test can know after killing the JVM with SIGKILL. Arguments:
 * {@code THREADS CALLS COUNTERS [virtual]}. Each of THREADS platform threads (virtual threads with
 * {@code virtual}, JDK 21+) calls {@link #work} (2 events a
 * call) and, after each call, stores how many it completed in its 8-byte slot of the file COUNTERS,
 * mapped into memory: the page cache keeps those stores when the process is killed. With CALLS > 0
 * each thread makes exactly CALLS calls and then stays alive (its buffer is neither retired nor
 * closed); with CALLS = 0 the threads go on until the JVM ends, pausing briefly between calls.
 * {@code main} prints {@code running} once every thread has completed a call (or {@code called} once
 * all are done, with CALLS > 0), then waits for stdin to end.
 */
public final class Steady
{
    private static final VarHandle COUNTER = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /**
     * The pause between calls with CALLS = 0: a thread makes under 1,000 calls a second, so a carrier
     * takes seconds to fill a 64 KiB sub-buffer, far longer than the flusher is ever late on a
     * loaded machine (the bound the kill tests assert holds only while the flusher keeps up).
     */
    private static final long PAUSE_NANOS = 1_000_000;

    private Steady()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int threads = Integer.parseInt(args[0]);
        final int calls = Integer.parseInt(args[1]);
        final boolean virtual = args.length > 3 && "virtual".equals(args[3]);
        final MappedByteBuffer counters;
        try (FileChannel file = FileChannel.open(Path.of(args[2]), StandardOpenOption.CREATE, StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            counters = file.map(FileChannel.MapMode.READ_WRITE, 0, 8L * threads);
        }
        final CountDownLatch started = new CountDownLatch(threads);
        final CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++)
        {
            final int slot = 8 * t;
            final Runnable body = () ->
            {
                long completed = 0;
                while (calls == 0 || completed < calls)
                {
                    work(completed);
                    completed++;
                    // Release: never visible before the call's events were committed.
                    COUNTER.setRelease(counters, slot, completed);
                    if (completed == 1)
                    {
                        started.countDown();
                    }
                    if (calls == 0)
                    {
                        LockSupport.parkNanos(PAUSE_NANOS);
                    }
                }
                done.countDown();
                while (true)
                {
                    LockSupport.park();
                }
            };
            if (virtual)
            {
                Thread.ofVirtual().name("steady-" + t).start(body);
            }
            else
            {
                final Thread thread = new Thread(body, "steady-" + t);
                thread.setDaemon(true);
                thread.start();
            }
        }
        started.await();
        if (calls > 0)
        {
            done.await();
            System.out.println("called events=" + 2L * threads * calls);
        }
        else
        {
            System.out.println("running");
        }
        final InputStream in = System.in;
        while (in.read() >= 0)
        {
            // wait for the end of stdin, or to be killed
        }
    }

    static long work(final long i)
    {
        return i * 31 + 7;
    }
}
