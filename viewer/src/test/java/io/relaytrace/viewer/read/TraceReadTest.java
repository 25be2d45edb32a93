package io.relaytrace.viewer.read;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.relay.RelayMode;
import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.viewer.KnownWorkload;
import io.relaytrace.viewer.TraceWriterFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class TraceReadTest
{
    @TempDir
    static Path shared;
    static Path workload;

    @BeforeAll
    static void writeWorkload() throws Exception
    {
        workload = shared.resolve("workload");
        KnownWorkload.write(workload);
    }

    /** Records read plus events lost equals what the writers committed, buffer by buffer. */
    private static long recordsRead(final Trace trace)
    {
        long total = 0;
        for (final FileReport file : trace.files())
        {
            total += file.records();
        }
        return total;
    }

    @Test
    void knownWorkloadReadsIntactWithExactCounts() throws Exception
    {
        final Trace trace = Trace.open(workload);
        assertEquals("[]", trace.problems().toString());
        assertFalse(trace.isIncomplete());
        assertEquals(0, trace.lost());
        assertEquals(0, trace.dropped());
        assertEquals(0, trace.tooBig());
        final ClosedMarker closed = trace.closedMarker();
        assertEquals(closed.events(), recordsRead(trace));
        assertEquals(KnownWorkload.ADD_NAME, trace.definitions().methodName(KnownWorkload.ADD));
        assertEquals("java.lang.IllegalStateException", trace.definitions().className(KnownWorkload.ISE));
        assertTrue(trace.files().get(1).blocks() + trace.files().get(2).blocks() > 20,
            "the workload spans many blocks per file");

        final Map<Integer, Long> completed = new HashMap<>();
        final Map<Integer, Long> exceptional = new HashMap<>();
        final Map<Long, Set<Long>> carriersOfThread = new HashMap<>();
        final CallStacks stacks = new CallStacks((thread, method, start, end, child, thrown) ->
        {
            assertTrue(end >= start && child <= end - start, "durations are consistent");
            completed.merge(method, 1L, Long::sum);
            if (thrown)
            {
                exceptional.merge(method, 1L, Long::sum);
            }
        });
        long previous = Long.MIN_VALUE;
        try (EventMerge merge = trace.events())
        {
            while (merge.next())
            {
                final TraceEvent e = merge.event();
                assertTrue(e.timestamp() >= previous, "merged in timestamp order");
                previous = e.timestamp();
                if (e.type() != EventDescriptor.THREAD)
                {
                    carriersOfThread.computeIfAbsent(e.threadId(), k -> new HashSet<>()).add(e.carrierId());
                }
                stacks.accept(e);
            }
        }
        stacks.finish();
        assertEquals(KnownWorkload.EVENTS, stacks.events());
        assertEquals(0, stacks.orphanExits());
        assertEquals(0, stacks.unclosedCalls());
        assertEquals(KnownWorkload.THREADS, stacks.threads().size());
        assertEquals(KnownWorkload.ITERATIONS, completed.get(KnownWorkload.INIT));
        assertEquals(KnownWorkload.ITERATIONS, completed.get(KnownWorkload.CHECKOUT));
        assertEquals(KnownWorkload.ITERATIONS * 2L, completed.get(KnownWorkload.ADD));
        assertEquals(KnownWorkload.ITERATIONS, completed.get(KnownWorkload.PRICE));
        assertEquals(KnownWorkload.EXCEPTIONS, exceptional.get(KnownWorkload.PRICE));
        assertEquals(KnownWorkload.EXCEPTIONS, exceptional.get(KnownWorkload.CHECKOUT));
        assertNull(exceptional.get(KnownWorkload.ADD));

        long virtual = 0;
        boolean moved = false;
        for (final ThreadCalls thread : stacks.threads())
        {
            if (trace.definitions().isVirtual(thread.threadId()))
            {
                virtual++;
                moved |= carriersOfThread.get(thread.threadId()).size() > 1;
            }
        }
        assertEquals(KnownWorkload.VIRTUAL_THREADS, virtual);
        assertTrue(moved, "some virtual thread ran on two carriers, with calls open across the move");
    }

    @Test
    void orphanExitsAndUnclosedCallsAreCountedNotFatal(@TempDir final Path dir) throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 1024, 8, 1))
        {
            trace.defineMethod(1, "a.A", "outer", "()V");
            trace.defineMethod(2, "a.A", "inner", "()V");
            trace.call(EventDescriptor.EXIT, 2, 0, 100);      // began before the trace: orphan
            trace.call(EventDescriptor.EXIT, 1, 0, 110);      // orphan
            trace.call(EventDescriptor.ENTER, 1, 0, 200);
            trace.call(EventDescriptor.ENTER, 2, 0, 210);
            trace.call(EventDescriptor.ENTER, 2, 0, 220);     // its exit is lost: closed by outer's exit
            trace.call(EventDescriptor.EXIT, 2, 0, 230);
            trace.call(EventDescriptor.EXIT, 1, 0, 300);      // abandons the inner call at 210
            trace.call(EventDescriptor.ENTER, 1, 0, 400);     // trace ends inside it: unclosed
        }
        final Trace trace = Trace.open(dir);
        assertEquals("[]", trace.problems().toString());
        final StringBuilder calls = new StringBuilder();
        final CallStacks stacks = new CallStacks(new CallListener()
        {
            @Override
            public void exit(final ThreadCalls t, final int m, final long s, final long e, final long c, final boolean x)
            {
                calls.append("exit ").append(m).append(' ').append(e - s).append(" child=").append(c).append('\n');
            }

            @Override
            public void unclosed(final ThreadCalls t, final int m, final long s)
            {
                calls.append("unclosed ").append(m).append(" at ").append(s).append('\n');
            }
        });
        try (EventMerge merge = trace.events())
        {
            while (merge.next())
            {
                stacks.accept(merge.event());
            }
        }
        stacks.finish();
        assertEquals("exit 2 10 child=0\nunclosed 2 at 210\nexit 1 100 child=0\nunclosed 1 at 400\n", calls.toString());
        assertEquals(2, stacks.orphanExits());
        assertEquals(2, stacks.unclosedCalls());
        assertEquals(8, stacks.events());
    }

    @Test
    void unknownRecordTypesAreSkippedByTheirLength(@TempDir final Path dir) throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 1024, 8, 1))
        {
            trace.defineMethod(1, "a.A", "m", "()V");
            trace.call(EventDescriptor.ENTER, 1, 0, 10);
            trace.unknownRecord(99, 36);
            trace.call(EventDescriptor.EXIT, 1, 0, 20);
            trace.unknownRecord(200, 4);
        }
        final Trace trace = Trace.open(dir);
        assertEquals("[]", trace.problems().toString());
        assertEquals(trace.closedMarker().events(), recordsRead(trace));
        final long[] durations = new long[1];
        final CallStacks stacks = new CallStacks((t, m, s, e, c, x) -> durations[0] += e - s);
        try (EventMerge merge = trace.events())
        {
            while (merge.next())
            {
                stacks.accept(merge.event());
            }
        }
        assertEquals(2, stacks.events());
        assertEquals(10, durations[0]);
    }

    @Test
    void lostEventsComeFromEventsBeforeGaps(@TempDir final Path dir) throws Exception
    {
        // A flight recorder with 2 sub-buffers of 256 bytes keeps only the last few events.
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 256, 2, 1, RelayMode.FLIGHT_RECORDER, 1000))
        {
            trace.defineMethod(1, "a.A", "m", "()V");
            for (int i = 0; i < 500; i++)
            {
                trace.enter(1);
                trace.exit(1);
            }
            trace.channel().dump();
        }
        final Trace trace = Trace.open(dir);
        assertEquals("[]", trace.problems().toString());
        assertTrue(trace.lost() > 900, "lost=" + trace.lost());
        assertEquals(trace.closedMarker().events(), recordsRead(trace) + trace.lost());
    }

    @Test
    void droppedComesFromTheLastBlockOfEachBuffer(@TempDir final Path dir) throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 256, 2, 1, RelayMode.DISCARD, 60_000))
        {
            trace.defineMethod(1, "a.A", "m", "()V");
            // 4000 events into 2 sub-buffers of 9: the flusher (every millisecond) frees a few, the rest are dropped.
            for (int i = 0; i < 2000; i++)
            {
                trace.enter(1);
                trace.exit(1);
            }
        }
        final Trace trace = Trace.open(dir);
        assertEquals("[]", trace.problems().toString());
        assertEquals(0, trace.lost());
        assertTrue(trace.dropped() > 0, "dropped=" + trace.dropped());
        assertEquals(trace.closedMarker().dropped(), trace.dropped());
        assertEquals(trace.closedMarker().events(), recordsRead(trace));
    }
}
