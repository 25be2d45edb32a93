package io.relaytrace.agent.bootstrap;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class ThreadStatesTest
{
    @Test
    void oneBytePerIdKeptAcrossGrowth()
    {
        final ThreadStates states = new ThreadStates();
        final long small = 7;
        final long large = 40L * ThreadStates.CHUNK_SIZE + 3; // beyond the initial 16 chunks
        final byte[] smallChunk = states.chunk(small);
        smallChunk[ThreadStates.slot(small)] = ThreadStates.DEFINED;

        final byte[] largeChunk = states.chunk(large);
        largeChunk[ThreadStates.slot(large)] = ThreadStates.BUSY;

        assertSame(smallChunk, states.chunk(small), "growing keeps the chunks handed out");
        assertSame(largeChunk, states.chunk(large));
        assertNotSame(smallChunk, largeChunk);
        assertEquals(ThreadStates.DEFINED, states.chunk(small)[ThreadStates.slot(small)]);
        assertEquals(ThreadStates.BUSY, states.chunk(large)[ThreadStates.slot(large)]);
        assertEquals(ThreadStates.NEW, states.chunk(small + 1)[ThreadStates.slot(small + 1)]);
        assertEquals(3, ThreadStates.slot(large));
        assertSame(states.chunk(ThreadStates.CHUNK_SIZE - 1), smallChunk, "same chunk up to CHUNK_SIZE - 1");
        assertNotSame(states.chunk(ThreadStates.CHUNK_SIZE), smallChunk);
    }

    /**
     * Eight threads make the same 40 chunks at once, each storing a byte of its own in every one as
     * soon as it has it: every byte is found afterwards, so no chunk handed out was replaced by
     * another thread's (a store into a chunk that lost would read back as NEW).
     */
    @Test
    void chunksMadeConcurrentlyAreHandedOutOnce() throws Exception
    {
        final int threads = 8;
        final int chunks = 40;
        for (int round = 0; round < 20; round++)
        {
            final ThreadStates states = new ThreadStates();
            final CyclicBarrier start = new CyclicBarrier(threads);
            final List<Thread> workers = new ArrayList<>();
            final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int own = t;
                workers.add(Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        start.await();
                        for (int c = 0; c < chunks; c++)
                        {
                            final long id = (long)c * ThreadStates.CHUNK_SIZE + own;
                            states.chunk(id)[ThreadStates.slot(id)] = ThreadStates.DEFINED;
                        }
                    }
                    catch (final Throwable ex)
                    {
                        failures.add(ex);
                    }
                }));
            }
            for (final Thread worker : workers)
            {
                worker.join();
            }
            assertEquals(List.of(), failures);
            for (int c = 0; c < chunks; c++)
            {
                for (int t = 0; t < threads; t++)
                {
                    final long id = (long)c * ThreadStates.CHUNK_SIZE + t;
                    assertEquals(ThreadStates.DEFINED, states.chunk(id)[ThreadStates.slot(id)], "round=" + round + " id=" + id);
                }
                final long unused = (long)c * ThreadStates.CHUNK_SIZE + threads;
                assertEquals(ThreadStates.NEW, states.chunk(unused)[ThreadStates.slot(unused)]);
            }
        }
    }
}
