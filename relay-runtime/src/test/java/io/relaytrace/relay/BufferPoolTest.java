package io.relaytrace.relay;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pool of buffers' memory: bounded, last in first out, trimmed to what carriers needed, and
 * exact under concurrent takers and givers (each buffer handed to one taker only, none lost).
 */
class BufferPoolTest
{
    @Test
    void holdsAtMostItsLimitAndHandsBackTheLastGiven()
    {
        final BufferPool pool = new BufferPool(2, 0);
        final BufferMemory a = memory();
        final BufferMemory b = memory();
        assertTrue(pool.give(a));
        assertTrue(pool.give(b));
        assertFalse(pool.give(memory()), "a third buffer beyond limit=2");
        assertEquals(2, pool.size());
        assertSame(b, pool.take());
        assertSame(a, pool.take());
        assertNull(pool.take());
        assertTrue(pool.isEmpty());
        assertEquals(0, pool.size());
    }

    @Test
    void trimGivesUpOnlyWhatLayUnusedThroughAWholeInterval()
    {
        final BufferPool pool = new BufferPool(64, 2);
        for (int i = 0; i < 10; i++)
        {
            pool.give(memory());
        }
        // The interval these arrived in started with an empty pool: none lay unused through all of it.
        assertEquals(0, pool.trim());
        assertEquals(10, pool.size());

        // Carriers took 3 and gave 3 back: the pool never went below 7, so 7 lay unused.
        final List<BufferMemory> taken = List.of(pool.take(), pool.take(), pool.take());
        taken.forEach(pool::give);
        assertEquals(7, pool.trim());
        assertEquals(3, pool.size());

        // Unused for a whole interval again: down to the floor, not below.
        assertEquals(1, pool.trim());
        assertEquals(2, pool.size());
        assertEquals(0, pool.trim());
        assertEquals(2, pool.size());
    }

    @Test
    void underSteadyChurnTrimKeepsWhatTheChurnTakes()
    {
        final BufferPool pool = new BufferPool(64, 0);
        for (int i = 0; i < 5; i++)
        {
            pool.give(memory());
        }
        pool.trim();
        for (int interval = 0; interval < 10; interval++)
        {
            // Five carriers come online and end in each interval.
            final List<BufferMemory> online = new ArrayList<>();
            for (int i = 0; i < 5; i++)
            {
                online.add(pool.take());
            }
            online.forEach(pool::give);
            assertEquals(0, pool.trim(), "interval " + interval);
            assertEquals(5, pool.size());
        }
    }

    @Test
    void badBoundsAreCallerBugs()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> new BufferPool(-1, 0));
        assertEquals("limit=-1 floor=0 must be >= 0", ex.getMessage());
    }

    /**
     * Four threads take and give back as fast as they can, 100,000 times each, over 16 buffers
     * with a limit of 16: no buffer is ever held by two threads at once, and all 16 are in the pool
     * at the end.
     */
    @Test
    void concurrentTakersAndGiversNeverShareOrLoseABuffer() throws Exception
    {
        final int buffers = 16;
        final BufferPool pool = new BufferPool(buffers, 0);
        final Set<BufferMemory> all = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < buffers; i++)
        {
            final BufferMemory memory = memory();
            all.add(memory);
            pool.give(memory);
        }
        final Set<BufferMemory> held = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        final long[] shared = new long[1];
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++)
        {
            threads.add(new Thread(() ->
            {
                await(start);
                for (int i = 0; i < 100_000; i++)
                {
                    final BufferMemory memory = pool.take();
                    if (memory == null)
                    {
                        continue;
                    }
                    if (!held.add(memory))
                    {
                        synchronized (shared)
                        {
                            shared[0]++;
                        }
                    }
                    held.remove(memory);
                    pool.give(memory);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertEquals(0, shared[0], "buffers handed to two threads at once");
        final Set<BufferMemory> left = Collections.newSetFromMap(new IdentityHashMap<>());
        BufferMemory memory;
        while ((memory = pool.take()) != null)
        {
            left.add(memory);
        }
        assertEquals(all, left);
    }

    private static void await(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError(ex);
        }
    }

    private static BufferMemory memory()
    {
        return new BufferMemory.Direct(64);
    }
}
