package io.relaytrace.agent.it;

import com.acme.load.LoadWorkload;
import io.relaytrace.relay.RelayChannel;
import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load and soak: {@link LoadWorkload} in a JDK 25 child JVM under the agent, 100,000 virtual threads
 * and 200 platform threads (each replaced by a new one after its lifetime, so carriers keep ending)
 * calling one traced method, while the child samples its own memory after a full GC every second.
 * <p>
 * What is asserted, and why these margins:
 * <ul>
 *   <li><b>Heap and buffer memory flat</b>: the median sample of the last third of the run is at most
 *       a margin above the largest sample of the middle third (the first third is warm-up: JIT, class
 *       loading, the first carriers): what the memory usually is at the end stays within what it
 *       reached before. Not the largest against the largest, nor medians against medians: both
 *       swing with the workload's own rhythm. Heap after a full GC holds the 100,000 virtual threads'
 *       stacks (about 200 MiB), whose size depends on where each thread was parked: 185 to 229 MiB
 *       between samples of one soak. Buffer memory swings with the flusher's lag in retiring the
 *       buffers of threads that ended, and in the soak the 200 platform threads end together every
 *       3 s, so a third of the samples see old and new buffers at once (mapped memory 57 MB, then
 *       107 MB, then 57 MB). A leak moves every sample, so the median leaves the earlier range.
 *       Margins: heap {@value #HEAP_MARGIN_MIB} MiB, buffers {@value #BUFFER_MARGIN_BUFFERS} buffers.
 *       Platform threads end at 200 a second (load) or 67 a second (soak): keeping one buffer in 20 of
 *       theirs exceeds the buffer margin within a third of the 30-second CI load run; keeping 4 KiB of
 *       heap per thread exceeds the heap margin within a third of the slow profile's soak (5 minutes),
 *       not of the CI runs.</li>
 *   <li><b>Carriers that end release their buffers</b>: many more buffers were brought online over the
 *       run than platform threads trace at once (the close marker counts every buffer ever); once every
 *       worker ended, buffer memory goes back down, within the after-phase's samples, to the global
 *       buffer and {@link #AFTER_LIMIT_BUFFERS} buffers: the pool's floor (one buffer per CPU slot;
 *       the pool gives up what lay unused for a second), the virtual threads' carriers (the
 *       scheduler's workers live on 30 s after their last task), the flusher's scratch and slack.</li>
 *   <li><b>Nothing lost uncounted</b>: events in the trace + events counted lost + events counted
 *       dropped = 2 x calls, exactly (the workload counts every call; each is an ENTER and an EXIT);
 *       the definitions the global buffer refused are not events: the summary counts them apart
 *       ({@code definitionsDropped}, {@code definitionsLost}), and with them its dropped is the close
 *       marker's; nothing too big, unattributed, or unwritten; the trace closed cleanly.</li>
 * </ul>
 * Durations: {@code relaytrace.load.seconds} and {@code relaytrace.soak.seconds} (the pom's defaults
 * are the CI run; the {@code slow} profile runs minutes).
 */
class LoadIT
{
    private static final int VIRTUAL_THREADS = 100_000;
    private static final int PLATFORM_THREADS = 200;
    private static final int SUBBUF_SIZE = 64 * 1024;
    private static final int SUBBUFS = 4;
    private static final long BUFFER_BYTES = (long)SUBBUF_SIZE * SUBBUFS;
    private static final String GEOMETRY = "subbuf-size=64k,subbufs=4";

    private static final long HEAP_MARGIN_MIB = 16;
    private static final long BUFFER_MARGIN_BUFFERS = 32;
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    /**
     * The pool's floor (a buffer per CPU slot), the carriers of virtual threads (the scheduler's
     * parallelism, twice for the workers it adds while some are pinned), the scratch, and slack.
     */
    private static final int AFTER_LIMIT_BUFFERS = 3 * CPUS + 4;
    /** The global buffer: at least 4 MiB where direct memory allows ({@code RelayChannel.GLOBAL_MIN_BYTES}). */
    private static final long GLOBAL_BUFFER_BYTES = 4L * 1024 * 1024;

    /** Full speed: virtual threads yield after every 1,000 calls; platform threads live 1 s each. */
    @Test
    void fullSpeedLoadKeepsMemoryFlatAndCountsEveryEvent(@TempDir final Path dir) throws Exception
    {
        final long seconds = Long.getLong("relaytrace.load.seconds", 30);
        run(dir, seconds, "", "load", 1000, 1000, 0, Strict.BUFFERS);
    }

    /**
     * Steady: every thread makes 2 calls a second (200,000 a second from the virtual threads, which
     * start over 5 s), platform threads live 3 s. Before session 2 this failed: application threads
     * flushed when the global buffer was full, the buffers of ended threads were not retired, and
     * direct memory reached the 512 MiB limit in four minutes.
     */
    @Test
    void steadySoakKeepsMemoryFlatAndCountsEveryEvent(@TempDir final Path dir) throws Exception
    {
        soak(dir, "");
    }

    /**
     * The soak with memory-mapped buffers, so that the mapped pool is measured (mapped memory is
     * never pooled: a retired buffer's file is unmapped and deleted). Before session 2 this failed
     * as the soak above did, and each application thread's flush filled the files with empty blocks.
     */
    @Test
    void steadySoakWithMappedBuffersKeepsMemoryFlat(@TempDir final Path dir) throws Exception
    {
        soak(dir, ",buffers=mmap");
    }

    /**
     * The soak as a flight recorder, which writes nothing until it is dumped or closed: it keeps the
     * buffers of the 16 carriers that ended last for the next dump and retires the others unread,
     * their events counted lost; so memory stays flat while threads keep ending, and every event is
     * still in the trace or counted.
     */
    @Test
    void flightRecorderSoakKeepsMemoryFlatAndCountsEveryEvent(@TempDir final Path dir) throws Exception
    {
        soak(dir, ",mode=flight-recorder");
    }

    /**
     * The write path never blocks: no platform thread is ever found waiting (blocked on a monitor,
     * parked on a lock) with a relaytrace frame on its stack, in a sample taken every second.
     * Until session 3 it failed: a new thread's first event took the channel's lock to bring its
     * carrier online and the global buffer's monitor to write its THREAD_DEF (49 platform threads
     * caught waiting there in one sample; before that, with {@code GlobalRecords.write} flushing on
     * the application thread, a thread dump showed 7,156 virtual and 41 platform threads inside it).
     * Now carriers come online by compare-and-set and definitions are staged in a lock-free queue
     * that only the flusher empties into the global buffer.
     * <p>
     * 20 s: a sample takes about 3 s under this load, and in 10 s at a load average of 9 the
     * workload had not yet brought its 200 platform threads online by the last sample (direct
     * memory 44 MB, below their 52 MB) nor replaced 100 of them (268 buffers ever), which the
     * run's other assertions require; 20 s also gives twice the samples to catch a wait in.
     */
    @Test
    void applicationThreadsNeverWaitInsideTheAgent(@TempDir final Path dir) throws Exception
    {
        run(dir, 20, "", "load", 1000, 1000, 0, Strict.NEVER_WAITS);
    }

    /** The soak's shape: 2 calls a thread a second, platform threads live 3 s, buffer memory asserted flat. */
    private static void soak(final Path dir, final String options) throws Exception
    {
        run(dir, Long.getLong("relaytrace.soak.seconds", 20), options, "soak", 3000, 2, 1000, Strict.BUFFERS);
    }

    private static void run(
        final Path dir, final long seconds, final String options, final String mode, final long lifetimeMillis,
        final int batch, final long pauseMillis, final Strict strict) throws Exception
    {
        assertTrue(seconds >= 9, "at least 9 s, three samples a third: " + seconds);
        final Path trace = dir.resolve("t1");
        final boolean flightRecorder = options.contains("mode=flight-recorder");
        // A flight recorder keeps the buffers of the carriers that ended last for its next dump.
        final long afterLimit = (AFTER_LIMIT_BUFFERS + (flightRecorder ? RelayChannel.DEFAULT_KEEP_ENDED : 0)) * BUFFER_BYTES +
            GLOBAL_BUFFER_BYTES;
        final ChildJvm child = ChildJvm.start(Jdk.JDK_25, List.of(), ChildJvm.AGENT_JAR,
            "include=com.acme.load.Traced,output=" + trace + "," + GEOMETRY + options,
            List.of(ChildJvm.TEST_CLASSES), LoadWorkload.class.getName(),
            mode, Long.toString(seconds), Integer.toString(VIRTUAL_THREADS), Integer.toString(PLATFORM_THREADS),
            Long.toString(lifetimeMillis), Integer.toString(batch), Long.toString(pauseMillis),
            Long.toString(afterLimit));

        // One line a second, each within ChildJvm's per-line timeout.
        final List<Map<String, Long>> running = new ArrayList<>();
        final List<Map<String, Long>> after = new ArrayList<>();
        Map<String, Long> done;
        try
        {
            child.awaitLine("load started ");
            while (true)
            {
                final String line = child.awaitLine("load ");
                System.out.println(line);
                if (line.startsWith("load done "))
                {
                    done = pairs(line);
                    break;
                }
                (line.startsWith("load sample phase=run ") ? running : after).add(pairs(line));
            }
            child.finish();
        }
        finally
        {
            child.destroy();
        }
        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr(), "the agent prints nothing under load");

        final long calls = done.get("calls");
        final ClosedMarker closed = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(trace.resolve("trace.closed"))));
        // The viewer reads about 5-10 million events a second; the flusher writes a few million a second.
        final TraceSummary summary = TraceSummary.of(trace, 60 + 2 * seconds);
        // Definitions (a THREAD_DEF per new thread) the full global buffer refused are not events:
        // the summary counts them apart from dropped and lost.
        final long definitionsLost = summary.number("definitionsLost");
        final long definitionsDropped = summary.number("definitionsDropped");
        System.out.println("load result mode=" + mode + " seconds=" + seconds + " calls=" + calls +
            " platformThreads=" + done.get("platformThreads") + " events=" + summary.number("events") +
            " lost=" + summary.number("lost") + " dropped=" + summary.number("dropped") + " definitionsLost=" +
            definitionsLost + " definitionsDropped=" + definitionsDropped + " marker=" + closed);

        final String memory = options.contains("buffers=mmap") ? "mapped" : "direct";
        final long maxRunBuffers = running.stream().mapToLong(s -> s.get(memory)).max().orElseThrow();
        final Map<String, Long> last = after.get(after.size() - 1);
        final long waitingInAgent = running.stream().mapToLong(sample -> sample.get("waitingInAgent")).max().orElseThrow();
        System.out.println("load result waitingInAgent max=" + waitingInAgent);
        if (strict == Strict.NEVER_WAITS)
        {
            assertEquals(0, waitingInAgent, "platform threads found waiting inside the agent in a sample");
        }
        assertAll(
            () -> assertTrue(calls > 0, "calls=" + calls),
            () ->
            {
                final long accounted = summary.number("events") + summary.number("lost") + summary.number("dropped");
                if (flightRecorder)
                {
                    // What a flight recorder overwrote or gave up is counted as records lost, THREAD records
                    // (a virtual thread's switch of carrier) among them: only at least every event is
                    // accounted for; the close marker's identity (not incomplete, below) is exact.
                    assertTrue(accounted >= 2 * calls, () -> "events + lost + dropped >= 2 x calls=" + calls + ": " + summary);
                }
                else
                {
                    assertEquals(2 * calls, accounted, () -> "events + lost + dropped = 2 x calls=" + calls + ": " + summary);
                }
            },
            () -> assertFalse(summary.flag("incomplete"), "incomplete"),
            () -> assertEquals(closed.dropped(), summary.number("dropped") + definitionsDropped,
                "the viewer's dropped and definitions dropped are the close marker's dropped"),
            () -> assertEquals(0, closed.tooBig(), "too big"),
            () -> assertEquals(0, closed.unattributed(), "unattributed"),
            () -> assertEquals(0, closed.blocksNotWritten(), "blocks not written"),
            () -> assertFlat("heap", running, s -> s.get("heap"), HEAP_MARGIN_MIB << 20, Strict.BUFFERS),
            () -> assertFlat(memory, running, s -> s.get(memory), BUFFER_MARGIN_BUFFERS * BUFFER_BYTES, strict),
            () -> assertTrue(closed.buffers() >= 3 * PLATFORM_THREADS / 2,
                () -> "platform threads ended and were replaced: buffers ever=" + closed.buffers()),
            () -> assertTrue(maxRunBuffers >= PLATFORM_THREADS * BUFFER_BYTES,
                () -> memory + " held every tracing thread's buffer while running: max=" + maxRunBuffers),
            () -> assertTrue(last.get(memory) <= afterLimit,
                () -> memory + " after every worker ended: " + last + " (limit " + afterLimit + " bytes)"),
            () -> assertTrue(last.get(memory) * 2 < maxRunBuffers,
                () -> memory + " went back down: after=" + last.get(memory) + " run max=" + maxRunBuffers));
    }

    /**
     * Flat: the median sample of the last third of the run is at most {@code margin} above the largest
     * of the middle third. Printed always; asserted if {@code strict} is {@link Strict#BUFFERS}.
     */
    private static void assertFlat(
        final String what, final List<Map<String, Long>> samples, final ToLongFunction<Map<String, Long>> value,
        final long margin, final Strict strict)
    {
        final int n = samples.size();
        final long[] middle = samples.subList(n / 3, 2 * n / 3).stream().mapToLong(value).sorted().toArray();
        final long[] last = samples.subList(2 * n / 3, n).stream().mapToLong(value).sorted().toArray();
        final long middleMax = middle[middle.length - 1];
        final long lastMedian = last[last.length / 2];
        final String verdict = what + (lastMedian <= middleMax + margin ? " flat: " : " grew: ") + "median of the last third=" +
            lastMedian + " against max of the middle third=" + middleMax + " + " + margin + "; samples=" +
            samples.stream().mapToLong(value).boxed().toList();
        System.out.println("load result " + verdict);
        if (strict == Strict.BUFFERS)
        {
            assertTrue(lastMedian <= middleMax + margin, verdict);
        }
    }

    /** What a run asserts beyond what every run asserts. */
    private enum Strict
    {
        /** Buffer memory flat, as heap is. */
        BUFFERS,
        /** No platform thread ever waits inside the agent (buffer memory printed only). */
        NEVER_WAITS
    }

    /** @return the {@code key=value} pairs of a line whose values are numbers. */
    private static Map<String, Long> pairs(final String line)
    {
        final Map<String, Long> pairs = new HashMap<>();
        for (final String token : line.split(" "))
        {
            final int eq = token.indexOf('=');
            if (eq > 0)
            {
                try
                {
                    pairs.put(token.substring(0, eq), Long.parseLong(token.substring(eq + 1)));
                }
                catch (final NumberFormatException ex)
                {
                    // phase=run and the like
                }
            }
        }
        return pairs;
    }
}
