package io.relaytrace.agent.it;

import com.acme.workload.Steady;
import io.relaytrace.event.EventDescriptor;
import io.relaytrace.relay.format.SubbufDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of a traced JVM. The workload ({@link Steady}) records, after every traced call, how
 * many calls each thread completed, in a memory-mapped file that outlives the process: so the test
 * knows the truth after the kill, to within the call each thread had in flight (its ENTER, or its
 * EXIT, may be committed before the counter moves: up to 2 events a thread).
 * <p>
 * What the viewer must make of the trace: incomplete (no close marker), every block in the files
 * read (no damage, only the missing marker, the salvaged mapped buffers and at most a block cut by
 * the kill as problems), and the events it shows plus those it counts (dropped, lost) within the
 * truth. Heap buffers lose what had not reached the files: at most the current sub-buffer of each
 * carrier (finished sub-buffers are written within the flusher's 1 ms poll, the current one's
 * committed part every flush interval). Mapped buffers lose no committed event.
 */
class KillIT
{
    private static final int THREADS = 3;
    private static final String INCLUDE = "include=com.acme.workload.Steady::work";

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void killedAtARandomPointHeapBuffersLoseAtMostOneSubBufferPerCarrier(final Jdk jdk, @TempDir final Path dir)
        throws Exception
    {
        final int subbufSize = 64 * 1024;
        final Path trace = dir.resolve("t1");
        final Outcome outcome = killWhileRunning(jdk, dir, INCLUDE + ",output=" + trace + ",subbuf-size=" + subbufSize);

        assertLossWithinOneSubbufPerCarrier("heap " + jdk, trace, outcome, THREADS, subbufSize);
    }

    /**
     * Six virtual threads on two carriers (the scheduler's parallelism and pool size): the bound is
     * per carrier, whatever number of threads share it. The threads are paced (see {@link Steady}):
     * unpaced, a carrier filled a sub-buffer every 24 ms, and on the loaded build machine the flusher
     * once fell four sub-buffers behind, which the bound does not cover (its stated limit).
     */
    @Test
    void killedAtARandomPointVirtualThreadsLoseAtMostOneSubBufferPerCarrier(@TempDir final Path dir) throws Exception
    {
        final int subbufSize = 64 * 1024;
        final int carriers = 2;
        final int threads = 6;
        final Path trace = dir.resolve("t1");
        final Outcome outcome = killWhileRunning(Jdk.JDK_25, dir,
            List.of("-Djdk.virtualThreadScheduler.parallelism=" + carriers, "-Djdk.virtualThreadScheduler.maxPoolSize=" + carriers),
            INCLUDE + ",output=" + trace + ",subbuf-size=" + subbufSize, threads, "virtual");

        assertLossWithinOneSubbufPerCarrier("virtual", trace, outcome, carriers, subbufSize);
    }

    /** JDK 25 only: the exact test below covers mapped buffers on both JDKs. */
    @Test
    void killedAtARandomPointMappedBuffersLoseNoCommittedEvent(@TempDir final Path dir) throws Exception
    {
        final Jdk jdk = Jdk.JDK_25;
        final Path trace = dir.resolve("t1");
        final Outcome outcome = killWhileRunning(jdk, dir, INCLUDE + ",output=" + trace + ",subbuf-size=64k,buffers=mmap");

        final TraceSummary summary = TraceSummary.of(trace);
        assertIncompleteAndWhole(trace);
        final long accounted = summary.number("events") + summary.number("dropped") + summary.number("lost");
        System.out.println("KillIT mmap " + jdk + ": truth " + outcome.committedAtLeast() + ".." + outcome.committedAtMost() +
            " events, the trace shows or counts " + accounted);
        assertAll(
            () -> assertTrue(accounted >= outcome.committedAtLeast() && accounted <= outcome.committedAtMost(),
                () -> "every committed event recovered: " + accounted + " not in " + outcome.committedAtLeast() + ".." +
                    outcome.committedAtMost() + ": " + summary),
            () -> assertEquals(0, summary.number("lost"), "lost"),
            () -> assertTrue(summary.flag("incomplete"), "incomplete"));
    }

    /**
     * The exact count: every thread makes a known number of calls and stops; the kill comes at once
     * (the flush interval is an hour, so most of it is only in the mapped buffers).
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void killedAfterKnownCallsMappedBuffersRecoverEveryEvent(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final int calls = 700; // 1,400 events a thread: five and a half 4 KiB sub-buffers of the eight
        final Path trace = dir.resolve("t1");
        final ChildJvm child = ChildJvm.start(jdk, List.of(), ChildJvm.AGENT_JAR, INCLUDE + ",output=" + trace +
            ",subbuf-size=" + (SubbufDescriptor.HEADER_LENGTH + 4096) + ",buffers=mmap,flush-interval=3600s",
            List.of(ChildJvm.TEST_CLASSES), Steady.class.getName(), Integer.toString(THREADS), Integer.toString(calls),
            dir.resolve("counters").toString());
        assertEquals("called events=" + 2L * THREADS * calls, child.awaitLine("called"));
        child.kill();
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr());
        assertEquals(137, child.exitCode(), "killed by SIGKILL");

        final TraceSummary summary = TraceSummary.of(trace);
        assertIncompleteAndWhole(trace);
        assertAll(
            () -> assertEquals(2L * THREADS * calls, summary.number("events"), () -> "every event: " + summary),
            () -> assertEquals(0, summary.number("lost"), "lost"),
            () -> assertEquals(0, summary.number("dropped"), "dropped"),
            () -> assertTrue(summary.flag("incomplete"), "incomplete"),
            () -> assertEquals(THREADS, summary.number("threads"), "threads"));
        assertEquals(List.of((long)THREADS * calls, 0L), java.util.Arrays.stream(
            summary.callsAndExceptions("com.acme.workload.Steady.work(long)")).boxed().toList(), "[calls, exceptions]");
    }

    /**
     * The trace after a kill, heap buffers: incomplete and whole, never more events than the truth,
     * and what the viewer neither shows nor counts at most one sub-buffer of 16-byte records per carrier.
     */
    private static void assertLossWithinOneSubbufPerCarrier(
        final String label, final Path trace, final Outcome outcome, final int carriers, final int subbufSize) throws Exception
    {
        final TraceSummary summary = TraceSummary.of(trace);
        assertIncompleteAndWhole(trace);
        final long perSubbuf = (subbufSize - SubbufDescriptor.HEADER_LENGTH) / EventDescriptor.ENTER_LENGTH;
        final long accounted = summary.number("events") + summary.number("dropped") + summary.number("lost");
        final long lostAtMost = outcome.committedAtMost() - accounted;
        System.out.println("KillIT " + label + ": truth " + outcome.committedAtLeast() + ".." + outcome.committedAtMost() +
            " events, the trace shows or counts " + accounted + ", lost " + Math.max(0, outcome.committedAtLeast() - accounted) +
            ".." + lostAtMost + " events unknown to the viewer; bound " + carriers + " carriers x " + perSubbuf + " = " +
            carriers * perSubbuf);
        assertAll(
            () -> assertTrue(accounted <= outcome.committedAtMost(), () -> "more events than calls: " + summary),
            () -> assertTrue(lostAtMost <= carriers * perSubbuf, () -> "lost up to " + lostAtMost + " > one sub-buffer (" +
                perSubbuf + " events) per carrier: " + summary),
            () -> assertTrue(summary.flag("incomplete"), "incomplete"));
    }

    /** The committed events, as the counters bound them: each thread may have one call in flight. */
    private record Outcome(long completedCalls, int threads)
    {
        long committedAtLeast()
        {
            return 2 * completedCalls;
        }

        long committedAtMost()
        {
            return 2 * completedCalls + 2L * threads;
        }
    }

    private static Outcome killWhileRunning(final Jdk jdk, final Path dir, final String options) throws Exception
    {
        return killWhileRunning(jdk, dir, List.of(), options, THREADS, "platform");
    }

    /** Runs the workload without end, kills it at a random moment, and reads its counters. */
    private static Outcome killWhileRunning(
        final Jdk jdk, final Path dir, final List<String> jvmOptions, final String options, final int threads, final String kind)
        throws Exception
    {
        final Path counters = dir.resolve("counters");
        final ChildJvm child = ChildJvm.start(jdk, jvmOptions, ChildJvm.AGENT_JAR, options, List.of(ChildJvm.TEST_CLASSES),
            Steady.class.getName(), Integer.toString(threads), "0", counters.toString(), kind);
        child.awaitLine("running");
        final long seed = System.nanoTime();
        // Mostly after the first periodic flush (a second after the start), sometimes before it.
        final long delay = 500 + new Random(seed).nextInt(2000);
        System.out.println("KillIT: kill -9 after " + delay + " ms (seed " + seed + ")");
        Thread.sleep(delay);
        child.kill();
        assertEquals(137, child.exitCode(), "killed by SIGKILL");
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr());
        final ByteBuffer slots = ByteBuffer.wrap(Files.readAllBytes(counters)).order(ByteOrder.nativeOrder());
        long completed = 0;
        for (int t = 0; t < threads; t++)
        {
            final long calls = slots.getLong(8 * t);
            assertTrue(calls > 0, "thread " + t + " made calls");
            completed += calls;
        }
        return new Outcome(completed, threads);
    }

    /**
     * {@code check}: exit 1 and {@code status: incomplete}; the problems are the missing close marker,
     * mapped buffers salvaged, or a block the kill cut short at the end of a file: never damage.
     */
    private static void assertIncompleteAndWhole(final Path trace) throws Exception
    {
        final ChildJvm check = TraceSummary.viewer("check", trace);
        assertEquals(1, check.exitCode(), () -> "check: " + check.stdout() + " " + check.stderr());
        final List<String> out = check.stdout();
        assertTrue(out.get(out.size() - 1).startsWith("status: incomplete ("), () -> String.join("\n", out));
        assertTrue(out.contains("problem: trace.closed: incomplete: missing: the trace was not closed cleanly (the JVM " +
            "died or is still writing)"), () -> String.join("\n", out));
        for (final String line : out)
        {
            if (line.startsWith("problem: "))
            {
                assertTrue(line.matches("problem: trace\\.[a-z0-9.]+: incomplete: .*"), () -> "only incomplete, never " +
                    "damaged: " + line + "\n" + String.join("\n", out));
            }
        }
    }
}
