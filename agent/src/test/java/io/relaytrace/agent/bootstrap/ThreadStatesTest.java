package io.relaytrace.agent.bootstrap;

import org.junit.jupiter.api.Test;

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
}
