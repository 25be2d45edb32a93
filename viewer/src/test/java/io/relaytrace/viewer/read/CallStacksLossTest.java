package io.relaytrace.viewer.read;

import io.relaytrace.event.EventDescriptor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The pairing rule of {@link CallStacks} around losses, on event sequences that a real trace
 * cannot be made to produce on demand (which virtual thread ran on which carrier, and when a
 * carrier's loss window ends): each event is what {@link BufferEvents} gives. Real traces with
 * real drops are in {@code LossPairingTest}.
 */
class CallStacksLossTest
{
    /** Every call the stacks report, as text, in order. */
    private static final class Calls implements CallListener
    {
        final List<String> seen = new ArrayList<>();

        @Override
        public void exit(
            final ThreadCalls thread, final int methodId, final long start, final long end, final long childNanos,
            final boolean exceptional)
        {
            seen.add("exit t" + thread.threadId() + " m" + methodId + " " + start + ".." + end + " child " + childNanos);
        }

        @Override
        public void unclosed(final ThreadCalls thread, final int methodId, final long start)
        {
            seen.add("unclosed t" + thread.threadId() + " m" + methodId + " " + start);
        }

        @Override
        public void cut(final ThreadCalls thread, final int methodId, final long start)
        {
            seen.add("cut t" + thread.threadId() + " m" + methodId + " " + start);
        }
    }

    private static TraceEvent event(final int type, final long carrier, final long thread, final int method, final long timestamp)
    {
        final TraceEvent e = new TraceEvent();
        e.type = type;
        e.carrierId = carrier;
        e.bufferId = (int)carrier;
        e.threadId = thread;
        e.methodId = method;
        e.timestamp = timestamp;
        return e;
    }

    private static TraceEvent loss(final long carrier, final boolean shared, final long timestamp)
    {
        final TraceEvent e = event(TraceEvent.LOSS, carrier, carrier, 0, timestamp);
        e.sharedCarrier = shared;
        return e;
    }

    private static TraceEvent endingLoss(final TraceEvent e)
    {
        e.endsSharedLoss = true;
        return e;
    }

    @Test
    void aVirtualThreadWhoseIntervalMeetsAnEndedWindowOfAnotherCarrierIsCut()
    {
        final Calls calls = new Calls();
        final CallStacks stacks = new CallStacks(calls);
        final int enter = EventDescriptor.ENTER;
        final int exit = EventDescriptor.EXIT;
        stacks.accept(event(enter, 5, 5, 9, 1));        // platform thread 5, its own buffer
        stacks.accept(event(enter, 1, 100, 1, 10));     // virtual 100 on carrier 1
        stacks.accept(loss(2, true, 20));               // carrier 2 (ran virtual threads) lost events after 20 ...
        stacks.accept(endingLoss(event(enter, 2, 200, 2, 30))); // ... until 30
        stacks.accept(event(enter, 1, 300, 3, 35));     // virtual 300: first event after the window
        stacks.accept(event(exit, 1, 100, 1, 40));      // 100's interval 10..40 met 20..30: cut, then an orphan
        stacks.accept(event(exit, 1, 300, 3, 45));      // 35..45 did not: paired
        stacks.accept(event(exit, 2, 200, 2, 46));      // 200's interval 30..46 starts where the window ended: paired
        stacks.accept(event(exit, 5, 5, 9, 50));        // a platform thread is cut only by its own buffer's loss
        stacks.finish();
        assertEquals(List.of(
            "cut t100 m1 10",
            "exit t300 m3 35..45 child 0",
            "exit t200 m2 30..46 child 0",
            "exit t5 m9 1..50 child 0"), calls.seen);
        assertEquals(1, stacks.callsCutByLoss());
        assertEquals(1, stacks.orphanExits());
        assertEquals(0, stacks.unclosedCalls());
        assertEquals(1, stacks.losses());
    }

    @Test
    void aWindowStillOpenCutsEveryVirtualThreadWithOpenCallsThatHasAnEvent()
    {
        final Calls calls = new Calls();
        final CallStacks stacks = new CallStacks(calls);
        stacks.accept(event(EventDescriptor.ENTER, 1, 100, 1, 10));
        stacks.accept(event(EventDescriptor.ENTER, 1, 100, 2, 11));
        stacks.accept(loss(2, true, 12));               // carrier 2 lost events and wrote none after
        stacks.accept(event(EventDescriptor.EXIT, 1, 100, 2, 100));
        stacks.accept(event(EventDescriptor.ENTER, 1, 100, 3, 101));
        stacks.accept(event(EventDescriptor.EXIT, 1, 100, 3, 102)); // cut again: the window is still open
        stacks.finish();
        assertEquals(List.of("cut t100 m2 11", "cut t100 m1 10", "cut t100 m3 101"), calls.seen);
        assertEquals(3, stacks.callsCutByLoss());
        assertEquals(2, stacks.orphanExits());
    }

    @Test
    void aLossOfAPlatformThreadsBufferCutsItsCallsAtTheLossAndNobodyElses()
    {
        final Calls calls = new Calls();
        final CallStacks stacks = new CallStacks(calls);
        stacks.accept(event(EventDescriptor.ENTER, 1, 100, 1, 10));   // virtual 100 on carrier 1
        stacks.accept(event(EventDescriptor.ENTER, 7, 7, 2, 11));     // platform 7
        stacks.accept(event(EventDescriptor.ENTER, 7, 7, 3, 12));
        stacks.accept(loss(7, false, 12));                             // 7's own buffer, no other thread in it
        stacks.accept(event(EventDescriptor.EXIT, 7, 7, 3, 20));      // orphan
        stacks.accept(event(EventDescriptor.EXIT, 1, 100, 1, 21));    // paired: 7's buffer never held 100's events
        stacks.finish();
        assertEquals(List.of("cut t7 m3 12", "cut t7 m2 11", "exit t100 m1 10..21 child 0"), calls.seen);
        assertEquals(1, stacks.orphanExits());
    }

    @Test
    void anExitClosesTheCallsOpenedInsideItAsUnclosedAndCompletesNormally()
    {
        // Stack [a, b], EXIT(a): b's exit was lost where no loss shows (or the trace began in an
        // unusual state). b is unclosed, not given a made-up duration; a is paired normally and its
        // self time includes b's, whose length is unknown.
        final Calls calls = new Calls();
        final CallStacks stacks = new CallStacks(calls);
        stacks.accept(event(EventDescriptor.ENTER, 7, 7, 1, 100));
        stacks.accept(event(EventDescriptor.ENTER, 7, 7, 2, 200));
        stacks.accept(event(EventDescriptor.ENTER, 7, 7, 3, 300));
        stacks.accept(event(EventDescriptor.EXIT, 7, 7, 3, 350));
        stacks.accept(event(EventDescriptor.EXIT, 7, 7, 1, 1000));
        stacks.finish();
        assertEquals(List.of("exit t7 m3 300..350 child 0", "unclosed t7 m2 200", "exit t7 m1 100..1000 child 0"), calls.seen);
        assertEquals(1, stacks.unclosedCalls());
        assertEquals(0, stacks.callsCutByLoss());
        assertEquals(0, stacks.orphanExits());
    }
}
