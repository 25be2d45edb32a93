package com.acme.workload;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code System.exit} from many threads at once while others trace. Arguments:
 * {@code EXITERS CALLS SPINNERS STATUS}. SPINNERS daemon threads call {@link #spin} in a loop (a
 * short pause between calls) until the JVM halts; each of EXITERS threads calls {@link #work}
 * exactly CALLS times, then all of them call {@code System.exit(STATUS)} together.
 */
public final class ExitRace
{
    private ExitRace()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int exiters = Integer.parseInt(args[0]);
        final int calls = Integer.parseInt(args[1]);
        final int spinners = Integer.parseInt(args[2]);
        final int status = Integer.parseInt(args[3]);
        for (int s = 0; s < spinners; s++)
        {
            final Thread spinner = new Thread(() ->
            {
                long i = 0;
                while (true)
                {
                    spin(i++);
                    LockSupport.parkNanos(20_000);
                }
            }, "spinner-" + s);
            spinner.setDaemon(true);
            spinner.start();
        }
        final CyclicBarrier together = new CyclicBarrier(exiters);
        for (int t = 0; t < exiters; t++)
        {
            new Thread(() ->
            {
                for (int i = 0; i < calls; i++)
                {
                    work(i);
                }
                try
                {
                    together.await();
                }
                catch (final Exception ex)
                {
                    throw new IllegalStateException(ex);
                }
                System.exit(status);
            }, "exiter-" + t).start();
        }
    }

    static long work(final long i)
    {
        return i * 31 + 7;
    }

    static long spin(final long i)
    {
        return i ^ 0x5DEECE66DL;
    }
}
