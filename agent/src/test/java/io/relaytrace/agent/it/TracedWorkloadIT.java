package io.relaytrace.agent.it;

import com.acme.workload.CountedOverflow;
import com.acme.workload.DeepRecursion;
import com.acme.workload.Workload;
import io.relaytrace.relay.format.TraceHeaderDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent given with {@code -javaagent} traces the workload exactly, in JDK 17 and 25: every call,
 * every exception through several frames, constructors, a synchronized method called from a thread
 * pool, and on 25 thousands of virtual threads parking between calls; and the application sees no
 * difference.
 */
class TracedWorkloadIT
{
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void tracesEveryCallExactly(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm untraced = ChildJvm.run(jdk, null);
        final ChildJvm traced = ChildJvm.run(jdk, "include=com.acme.**,output=" + trace + ",cpus=2");

        assertAll(
            () -> assertEquals(0, traced.exitCode(), () -> "stderr=" + traced.stderr()),
            () -> assertEquals(untraced.stdout(), traced.stdout()),
            () -> assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), traced.stderr(), "the agent prints nothing when all is well"),
            () -> assertEquals(List.of(), untraced.stderr()));
        for (final String file : List.of("trace.header", "trace.global", "trace.0", "trace.1", "trace.closed"))
        {
            assertTrue(Files.isRegularFile(trace.resolve(file)), file + " in " + trace);
        }
        assertFalse(Files.exists(trace.resolve("trace.2")), "cpus=2 makes two per-CPU files");
        final String clock = clockOf(trace);
        if (jdk.feature() < 22)
        {
            assertEquals("nanotime (the time-stamp counter needs JDK 22+)", clock);
        }
        else
        {
            // The counter on this machine kind (Linux x86-64, invariant TSC as clocksource), being
            // linked in the background when the trace opened; on another kind, the reason it is
            // not used, but never for want of access: the agent opens what it needs.
            assertTrue(clock.equals("tsc pending (System.nanoTime() until the counter is linked)") || clock.equals("tsc") ||
                clock.startsWith("nanotime (") && !clock.contains("not open"), clock);
        }

        final TraceSummary summary = TraceSummary.of(trace);
        final int virtualThreads = jdk.hasVirtualThreads() ? Workload.VIRTUAL_THREADS : 0;
        assertAll(
            () -> assertEquals(0, summary.number("lost"), "lost"),
            () -> assertEquals(0, summary.number("dropped"), "dropped"),
            () -> assertFalse(summary.flag("incomplete"), "incomplete"),
            () -> assertEquals(1 + Workload.POOL_THREADS + virtualThreads, summary.number("threads"), "threads"),
            () -> assertEquals(virtualThreads, summary.number("virtualThreads"), "virtualThreads"));
        final WorkloadCounts counts = WorkloadCounts.of(jdk, 1, true, true);
        counts.assertMatches(summary);
        assertEquals(2 * counts.totalCalls(), summary.number("events"), "events: ENTER and EXIT or THROW per call, no other");
    }

    /** {@code clock=nanotime}: the same exact trace, stamped by {@code System.nanoTime()}. */
    @Test
    void nanoTimeClockOnRequest(@TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm traced = ChildJvm.run(Jdk.JDK_25, "include=com.acme.**,output=" + trace + ",clock=nanotime");
        assertEquals(0, traced.exitCode(), () -> "stderr=" + traced.stderr());
        assertEquals("nanotime (clock=nanotime)", clockOf(trace));
        final TraceSummary summary = TraceSummary.of(trace);
        final WorkloadCounts counts = WorkloadCounts.of(Jdk.JDK_25, 1, true, true);
        counts.assertMatches(summary);
        assertEquals(2 * counts.totalCalls(), summary.number("events"));
    }

    private static String clockOf(final Path trace) throws Exception
    {
        return TraceHeaderDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(trace.resolve("trace.header"))))
            .properties().get("clock");
    }

    /**
     * Stack overflows strike inside the tracer too: the application must not notice, the trace
     * must stay whole (no slot left open or committed unfilled), and the thread stays traced. The
     * deepest frames' events may be missing (no room for the advice there).
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void stackOverflowsInsideTheTracerLeaveTheApplicationAndTheTraceWhole(final Jdk jdk, @TempDir final Path dir)
        throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm untraced = ChildJvm.start(jdk, List.of("-Xss512k"), ChildJvm.AGENT_JAR, null,
            List.of(ChildJvm.TEST_CLASSES), DeepRecursion.class.getName()).finish();
        final ChildJvm child = ChildJvm.start(jdk, List.of("-Xss512k"), ChildJvm.AGENT_JAR,
            "include=com.acme.**,output=" + trace, List.of(ChildJvm.TEST_CLASSES), DeepRecursion.class.getName()).finish();

        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        assertEquals(List.of("overflows=" + DeepRecursion.OVERFLOWS + " depth=" + Workload.RECURSION_DEPTH), child.stdout());
        assertEquals(untraced.stdout(), child.stdout(), "as untraced");
        assertEquals(0, untraced.exitCode());
        // Besides the CDS notice: the recorder's one line if an overflow struck inside it, and the
        // JDK's own complaint when a class load at the edge of the stack could not call the
        // transformer (libinstrument prints it for any agent with a transformer).
        for (final String line : child.stderr())
        {
            assertTrue(line.equals(ChildJvm.JVM_CDS_NOTICE) ||
                line.startsWith("relaytrace: an event could not be recorded (java.lang.StackOverflowError)") ||
                line.startsWith("*** java.lang.instrument ASSERTION FAILED ***: \"!errorOutstanding\" with message " +
                    "transform method call failed"), line);
        }
        assertTrue(Files.isRegularFile(trace.resolve("trace.closed")), "closed cleanly");
        final TraceSummary summary = TraceSummary.of(trace);
        assertEquals(0, summary.number("lost"), summary::toString);
        assertEquals(0, summary.number("dropped"), summary::toString);
        assertArrayEquals(new long[] {Workload.RECURSION_DEPTH + 1, 0},
            summary.callsAndExceptions("com.acme.workload.Recursion.depth(int)"), "traced after the overflows");
        final long[] recurse = summary.callsAndExceptions("com.acme.workload.DeepRecursion.recurse(long)");
        assertTrue(recurse[0] > 1000, () -> "recurse: " + summary);
        assertEquals(recurse[0], recurse[1], "every completed recurse call ended by the overflow");
    }

    /**
     * Every event a stack overflow kept the tracer from recording is counted in the trace: the
     * close marker's Events Failed, shown by {@code summary}. {@code com.acme.workload.Overflowing}
     * (the only class traced) counts its calls; it overflows the stack {@value CountedOverflow#OVERFLOWS}
     * times, then makes {@value CountedOverflow#PLAIN_CALLS} ordinary calls. Trace events + failed
     * is exactly 2 x the calls: the overflows strike inside the recorder (it counts), at its entry
     * ({@code Tracer} counts) and at the traced method's very call of the tracer (the method's own
     * handler counts); none is both written and counted.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void stackOverflowsInsideTheTracerAreCountedInTheTrace(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm child = ChildJvm.start(jdk, List.of("-Xss512k"), ChildJvm.AGENT_JAR,
            "include=com.acme.workload.Overflowing,output=" + trace, List.of(ChildJvm.TEST_CLASSES),
            CountedOverflow.class.getName()).finish();

        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        assertEquals(1, child.stdout().size(), child.stdout()::toString);
        final Matcher out = Pattern.compile("overflows=" + CountedOverflow.OVERFLOWS + " calls=(\\d+)").matcher(child.stdout().get(0));
        assertTrue(out.matches(), child.stdout().get(0));
        final long calls = Long.parseLong(out.group(1));
        assertTrue(child.stderr().contains("relaytrace: an event could not be recorded (java.lang.StackOverflowError); " +
            "tracing goes on, further failures are only counted"), child.stderr()::toString);

        final ChildJvm check = TraceSummary.viewer("check", trace);
        assertEquals(0, check.exitCode(), check.stdout()::toString);
        assertEquals("status: intact", check.stdout().get(check.stdout().size() - 1));
        final TraceSummary summary = TraceSummary.of(trace);
        final long events = summary.number("events");
        final long failed = summary.number("failed");
        final String counts = "calls=" + calls + " events=" + events + " failed=" + failed + " " + summary;
        assertEquals(0, summary.number("lost"), counts);
        assertEquals(0, summary.number("dropped"), counts);
        assertFalse(summary.flag("incomplete"), counts);
        assertTrue(failed > 0, () -> "the overflows struck inside the recorder: " + counts);
        assertEquals(2 * calls, events + failed, () -> "every event in the trace or counted failed, once: " + counts);
        assertArrayEquals(new long[] {CountedOverflow.PLAIN_CALLS, 0},
            summary.callsAndExceptions("com.acme.workload.Overflowing.plain()"), "traced after the overflows");
        assertTrue(check.stdout().stream().anyMatch(line -> line.endsWith(", failed to record " + failed)), check.stdout()::toString);
    }
}
