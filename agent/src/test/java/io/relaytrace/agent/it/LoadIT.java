package io.relaytrace.agent.it;

import com.acme.load.LoadWorkload;
import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
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
 *   <li><b>Heap flat</b>: the largest heap-after-GC sample of the last third of the run is at most
 *       {@value #HEAP_MARGIN_MIB} MiB above the largest of the middle third (the first third is
 *       warm-up: JIT, class loading, the first carriers). Heap after a full GC is what is live; in
 *       the measured runs it varied by under 1 MiB between samples (about 200 MiB are the 100,000
 *       virtual threads' stacks). A leak of one byte per ten attempted events, or of 4 KiB per
 *       replaced platform thread, exceeds the margin within a third of the 20-second CI run.</li>
 *   <li><b>Direct or mapped memory flat</b>: the same comparison with a margin of
 *       {@value #BUFFER_MARGIN_BUFFERS} buffers: online buffers vary with the threads that ended but
 *       whose buffer the flusher has not retired yet; a buffer kept per ended thread would grow by
 *       dozens a second.</li>
 *   <li><b>Carriers that end release their buffers</b>: many more buffers were brought online over the
 *       run than platform threads trace at once (the close marker counts every buffer ever); once every
 *       worker ended, buffer memory goes back down to at most the runtime's pool of recycled
 *       buffers ({@value #POOL_LIMIT}), the global buffer, the virtual threads' carriers and the
 *       flusher's scratch: {@value #AFTER_LIMIT_BUFFERS} buffers, less than half the run's peak.</li>
 *   <li><b>Nothing lost uncounted</b>: events in the trace + events counted lost + events counted
 *       dropped = 2 x calls, exactly (the workload counts every call; each is an ENTER and an EXIT);
 *       nothing too big, unattributed, or unwritten; the trace closed cleanly.</li>
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
    private static final long BUFFER_MARGIN_BUFFERS = 16;
    /** {@code RelayChannel.Builder}'s default pool limit, which the agent keeps. */
    private static final int POOL_LIMIT = 64;
    /** Pool, global buffer, scratch, the carriers of virtual threads (2 on this machine), and slack. */
    private static final int AFTER_LIMIT_BUFFERS = POOL_LIMIT + 8;

    /** Full speed: virtual threads yield after every 1,000 calls; platform threads live 1 s each. */
    @Test
    void fullSpeedLoadKeepsMemoryFlatAndCountsEveryEvent(@TempDir final Path dir) throws Exception
    {
        final long seconds = Long.getLong("relaytrace.load.seconds", 20);
        run(dir, seconds, "", "load", 1000, 1000, 0);
    }

    /**
     * Steady: every thread makes 2 calls a second (200,000 calls a second from the virtual threads),
     * platform threads live 3 s each; buffers are memory-mapped files, so the mapped pool is measured.
     */
    @Test
    void steadySoakWithMappedBuffersKeepsMemoryFlatAndCountsEveryEvent(@TempDir final Path dir) throws Exception
    {
        final long seconds = Long.getLong("relaytrace.soak.seconds", 15);
        run(dir, seconds, ",buffers=mmap", "soak", 3000, 2, 1000);
    }

    private static void run(
        final Path dir, final long seconds, final String options, final String mode, final long lifetimeMillis,
        final int batch, final long pauseMillis) throws Exception
    {
        assertTrue(seconds >= 9, "at least 9 s, three samples a third: " + seconds);
        final Path trace = dir.resolve("t1");
        final ChildJvm child = ChildJvm.start(Jdk.JDK_25, List.of(), ChildJvm.AGENT_JAR,
            "include=com.acme.load.Traced,output=" + trace + "," + GEOMETRY + options,
            List.of(ChildJvm.TEST_CLASSES), LoadWorkload.class.getName(),
            mode, Long.toString(seconds), Integer.toString(VIRTUAL_THREADS), Integer.toString(PLATFORM_THREADS),
            Long.toString(lifetimeMillis), Integer.toString(batch), Long.toString(pauseMillis),
            Long.toString(AFTER_LIMIT_BUFFERS * BUFFER_BYTES));

        // One line a second, each within ChildJvm's per-line timeout.
        child.awaitLine("load started ");
        final List<Map<String, Long>> running = new ArrayList<>();
        final List<Map<String, Long>> after = new ArrayList<>();
        Map<String, Long> done;
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
        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr(), "the agent prints nothing under load");

        final long calls = done.get("calls");
        final ClosedMarker closed = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(trace.resolve("trace.closed"))));
        // The viewer reads about 5-10 million events a second; the flusher writes a few million a second.
        final TraceSummary summary = TraceSummary.of(trace, 60 + 2 * seconds);
        System.out.println("load result mode=" + mode + " seconds=" + seconds + " calls=" + calls +
            " platformThreads=" + done.get("platformThreads") + " events=" + summary.number("events") +
            " lost=" + summary.number("lost") + " dropped=" + summary.number("dropped") + " marker=" + closed);

        final String memory = mode.equals("soak") ? "mapped" : "direct";
        final long maxRunBuffers = running.stream().mapToLong(s -> s.get(memory)).max().orElseThrow();
        final Map<String, Long> last = after.get(after.size() - 1);
        assertAll(
            () -> assertTrue(calls > 0, "calls=" + calls),
            () -> assertEquals(2 * calls, summary.number("events") + summary.number("lost") + summary.number("dropped"),
                () -> "events + lost + dropped = 2 x calls=" + calls + ": " + summary),
            () -> assertFalse(summary.flag("incomplete"), "incomplete"),
            () -> assertEquals(closed.dropped(), summary.number("dropped"), "the viewer's dropped is the close marker's"),
            () -> assertEquals(0, closed.tooBig(), "too big"),
            () -> assertEquals(0, closed.unattributed(), "unattributed"),
            () -> assertEquals(0, closed.blocksNotWritten(), "blocks not written"),
            () -> assertFlat("heap", running, s -> s.get("heap"), HEAP_MARGIN_MIB << 20),
            () -> assertFlat(memory, running, s -> s.get(memory), BUFFER_MARGIN_BUFFERS * BUFFER_BYTES),
            () -> assertTrue(closed.buffers() >= 2 * PLATFORM_THREADS,
                () -> "platform threads ended and were replaced: buffers ever=" + closed.buffers()),
            () -> assertTrue(maxRunBuffers >= PLATFORM_THREADS * BUFFER_BYTES,
                () -> memory + " held every tracing thread's buffer while running: max=" + maxRunBuffers),
            () -> assertTrue(last.get(memory) <= AFTER_LIMIT_BUFFERS * BUFFER_BYTES,
                () -> memory + " after every worker ended: " + last + " (limit " + AFTER_LIMIT_BUFFERS + " buffers)"),
            () -> assertTrue(last.get(memory) * 2 < maxRunBuffers,
                () -> memory + " went back down: after=" + last.get(memory) + " run max=" + maxRunBuffers));
    }

    /**
     * Flat: the largest sample of the last third of the run is at most {@code margin} above the
     * largest of the middle third.
     */
    private static void assertFlat(
        final String what, final List<Map<String, Long>> samples, final ToLongFunction<Map<String, Long>> value, final long margin)
    {
        final int n = samples.size();
        final long middle = samples.subList(n / 3, 2 * n / 3).stream().mapToLong(value).max().orElseThrow();
        final long last = samples.subList(2 * n / 3, n).stream().mapToLong(value).max().orElseThrow();
        assertTrue(last <= middle + margin, () -> what + " grew: max of the last third=" + last + " > max of the middle third=" +
            middle + " + " + margin + "; samples=" + samples.stream().mapToLong(value).boxed().toList());
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
