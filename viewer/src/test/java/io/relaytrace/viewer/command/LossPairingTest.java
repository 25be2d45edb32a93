package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.KnownWorkload;
import io.relaytrace.viewer.TraceSurgery;
import io.relaytrace.viewer.TraceWriterFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.relaytrace.relay.RelayMode;

import static io.relaytrace.event.EventDescriptor.ENTER;
import static io.relaytrace.event.EventDescriptor.EXIT;
import static io.relaytrace.relay.format.SubbufDescriptor.HEADER_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Calls are not paired across events the trace lost. Each test writes a real trace with real
 * drops: a discard-mode channel whose buffers nothing drains yet (no files) fills, refuses and
 * counts the next events, then gets its files, and the writer goes on. Timestamps are given, so
 * every duration is known exactly.
 */
class LossPairingTest
{
    private static final int OUTER = 1;
    private static final int WORK = 2;
    private static final int OTHER = 3;
    private static final String OUTER_NAME = "t.Lossy.outer()";
    private static final String WORK_NAME = "t.Lossy.work()";
    private static final String OTHER_NAME = "t.Lossy.other()";
    /** Sub-buffers of 512 bytes, 2 per buffer: a few dozen records fill a buffer. */
    private static final int SUBBUF_SIZE = 512;
    private static final int SUBBUFS = 2;
    /** Far after the gap: a call paired across it would last about this long. */
    private static final long AFTER_GAP = 1_000_000_000L;

    /** What one writer did: records written and refused. */
    private record Filled(int pairs, boolean workOpen, int dropped, long lastWritten)
    {
    }

    private static void define(final TraceWriterFixture trace)
    {
        trace.defineMethod(OUTER, "t.Lossy", "outer", "()V");
        trace.defineMethod(WORK, "t.Lossy", "work", "()V");
        trace.defineMethod(OTHER, "t.Lossy", "other", "()V");
    }

    /**
     * On the current thread's carrier: enters OUTER at 1000, then WORK calls of 5 ns every 10 ns
     * until the buffer refuses one, then the exit of OUTER and a new OUTER, both refused.
     */
    private static Filled fillUntilDropping(final TraceWriterFixture trace)
    {
        assertTrue(trace.call(ENTER, OUTER, 0, 1_000));
        long t = 1_010;
        int pairs = 0;
        boolean workOpen = false;
        long lastWritten = 1_000;
        while (true)
        {
            if (!trace.call(ENTER, WORK, 0, t))
            {
                break;
            }
            lastWritten = t;
            if (!trace.call(EXIT, WORK, 0, t + 5))
            {
                workOpen = true;
                break;
            }
            lastWritten = t + 5;
            pairs++;
            t += 10;
        }
        assertFalse(trace.call(EXIT, OUTER, 0, t + 100), "the buffer stays stalled");
        assertFalse(trace.call(ENTER, OUTER, 0, t + 200), "the buffer stays stalled");
        assertTrue(pairs > 10, "pairs=" + pairs);
        return new Filled(pairs, workOpen, 3, lastWritten);
    }

    private static String method(final String name, final long calls, final long total)
    {
        return "{\"method\":\"" + name + "\",\"calls\":" + calls + ",\"exceptions\":0,\"totalNanos\":" + total;
    }

    @Test
    void aDropGapInAPlatformThreadsBufferCutsItsOpenCallsOnly(@TempDir final Path dir) throws Exception
    {
        final Filled filled;
        final ExecutorService other = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("other").factory());
        try (TraceWriterFixture trace = TraceWriterFixture.openBufferOnly(SUBBUF_SIZE, SUBBUFS, 1))
        {
            define(trace);
            // Another platform thread, its own buffer: its call spans the gap and is paired normally.
            assertTrue(other.submit(() -> trace.call(ENTER, OTHER, 0, 500)).get());
            filled = fillUntilDropping(trace);
            trace.setupFiles(dir);
            assertTrue(trace.call(EXIT, OUTER, 0, AFTER_GAP));
            assertTrue(other.submit(() -> trace.call(EXIT, OTHER, 0, AFTER_GAP + 100)).get());
        }
        finally
        {
            other.shutdown();
        }
        assertFalse(filled.workOpen(), "2 x 408 content bytes: THREAD and OUTER, then 24 WORK calls, the 25th refused");
        assertEquals(24, filled.pairs());

        final Cli cli = Cli.run("summary", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        final String json = cli.out();
        final long events = 1 + 2L * filled.pairs() + 1 + 2;
        assertTrue(json.startsWith("{\"events\":" + events + ",\"lost\":0,\"dropped\":" + filled.dropped() +
            ",\"threads\":2,\"virtualThreads\":0,\"incomplete\":false,\"callsCutByLoss\":1,\"definitionsLost\":0,\"definitionsDropped\":0,\"failed\":0,\"methods\":["), json);
        // Before the fix, OUTER's ENTER before the gap was paired with the EXIT after it: 1 call of
        // AFTER_GAP - 1000 ns. Now it is cut at the loss, and the EXIT after it is an orphan.
        assertTrue(json.contains(method(OUTER_NAME, 0, 0)), json);
        assertTrue(json.contains(method(WORK_NAME, filled.pairs(), 5L * filled.pairs())), json);
        // The other thread's buffer lost nothing: its call across the same time is whole.
        assertTrue(json.contains(method(OTHER_NAME, 1, AFTER_GAP + 100 - 500)), json);

        final Cli text = Cli.run("summary", dir.toString());
        assertTrue(text.out().contains("  orphan exits 1  unclosed calls 0  calls cut by loss 1\n"), text.out());
        final Cli check = Cli.run("check", dir.toString());
        assertEquals(ExitCodes.OK, check.status(), check::toString);
        assertTrue(check.out().contains("\nlosses: 1 places where a buffer lost events, calls cut by loss 1\n"), check.out());
        // events: the loss shows after the last event before it, and the exit after it is not indented as paired.
        final List<String> lines = Cli.run("events", dir.toString()).out().lines().toList();
        final int loss = lines.indexOf(lines.stream().filter(l -> l.contains(" LOSS ")).findFirst().orElseThrow());
        assertTrue(lines.get(loss).endsWith(" LOSS events of this carrier lost after here"), lines.get(loss));
        assertEquals(1, lines.stream().filter(l -> l.contains(" LOSS ")).count());
        assertTrue(lines.get(loss - 1).endsWith(" EXIT    " + WORK_NAME), lines.get(loss - 1));
        assertTrue(lines.get(loss + 1).endsWith(" EXIT  " + OUTER_NAME), lines.get(loss + 1));
        final String tree = Cli.run("tree", dir.toString(), "--merged").out();
        assertTrue(tree.startsWith("all 2 threads: " + events + " events, 1 orphan exits, 0 unclosed, 1 cut by loss (in the unclosed column)\n"),
            tree);
    }

    @Test
    void aDropGapOnACarrierCutsTheVirtualThreadThatMovesOn(@TempDir final Path dir) throws Exception
    {
        final AtomicReference<Filled> filled = new AtomicReference<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final CountDownLatch dropping = new CountDownLatch(1);
        final CountDownLatch drained = new CountDownLatch(1);
        try (TraceWriterFixture trace = TraceWriterFixture.openBufferOnly(SUBBUF_SIZE, SUBBUFS, 1))
        {
            define(trace);
            final Thread virtual = Thread.ofVirtual().name("lossy").start(() ->
            {
                try
                {
                    final long carrier = trace.currentCarrierId();
                    filled.set(fillUntilDropping(trace));
                    assertEquals(carrier, trace.currentCarrierId(), "nothing blocked while filling");
                    dropping.countDown();
                    assertTrue(drained.await(60, TimeUnit.SECONDS));
                    // Goes on elsewhere: the carrier that lost its events never sees it again.
                    KnownWorkload.moveToAnotherCarrier(trace, carrier);
                    assertNotEquals(carrier, trace.currentCarrierId(), "moved to another carrier");
                    assertTrue(trace.call(EXIT, OUTER, 0, AFTER_GAP));
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                    dropping.countDown();
                }
            });
            assertTrue(dropping.await(60, TimeUnit.SECONDS));
            trace.setupFiles(dir);
            drained.countDown();
            virtual.join();
        }
        if (failure.get() != null)
        {
            throw new AssertionError(failure.get());
        }
        final Filled f = filled.get();

        final Cli cli = Cli.run("summary", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        final String json = cli.out();
        final long events = 1 + 2L * f.pairs() + (f.workOpen() ? 1 : 0) + 1;
        final int cut = f.workOpen() ? 2 : 1;
        assertTrue(json.startsWith("{\"events\":" + events + ",\"lost\":0,\"dropped\":" + f.dropped() +
            ",\"threads\":1,\"virtualThreads\":1,\"incomplete\":false,\"callsCutByLoss\":" + cut + ",\"definitionsLost\":0,\"definitionsDropped\":0,\"failed\":0,\"methods\":["), json);
        // Before the fix, OUTER's ENTER on the first carrier was paired with its EXIT on the second:
        // 1 call of AFTER_GAP - 1000 ns. The first carrier lost events after the thread's last
        // event there (its final block counts them), so the thread's open calls are cut.
        assertTrue(json.contains(method(OUTER_NAME, 0, 0)), json);
        assertTrue(json.contains(method(WORK_NAME, f.pairs(), 5L * f.pairs())), json);
        final Cli text = Cli.run("summary", dir.toString());
        assertTrue(text.out().contains("  orphan exits 1  unclosed calls 0  calls cut by loss " + cut + "\n"), text.out());
    }

    @Test
    void aDamagedBlockCutsTheCallsOpenAcrossIt(@TempDir final Path dir) throws Exception
    {
        final int pairs = 100;
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, SUBBUF_SIZE, 64, 1))
        {
            define(trace);
            assertTrue(trace.call(ENTER, OUTER, 0, 1_000));
            for (int i = 0; i < pairs; i++)
            {
                assertTrue(trace.call(ENTER, WORK, 0, 2_000 + 10L * i));
                assertTrue(trace.call(EXIT, WORK, 0, 2_005 + 10L * i));
            }
            assertTrue(trace.call(EXIT, OUTER, 0, AFTER_GAP));
        }
        // 408 content bytes a sub-buffer, one block each: THREAD, OUTER's ENTER and 23 WORK records
        // (11 calls and an ENTER), then 25 records (an EXIT and 12 calls), then 25 (12 calls and an
        // ENTER), ... Damage the third: 25 records lost, OUTER open across them.
        final Path file = dir.resolve("trace.0");
        final List<Long> blocks = TraceSurgery.blockStarts(file);
        assertEquals(25 * 16, TraceSurgery.contentLength(file, blocks.get(2)));
        TraceSurgery.flip(file, blocks.get(2) + HEADER_LENGTH + 20);

        final Cli cli = Cli.run("summary", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        final String json = cli.out();
        assertTrue(json.startsWith("{\"events\":" + (2 + 2 * pairs - 25) + ",\"lost\":25,\"dropped\":0," +
            "\"threads\":1,\"virtualThreads\":0,\"incomplete\":false,\"callsCutByLoss\":1,\"definitionsLost\":0,\"definitionsDropped\":0,\"failed\":0,\"methods\":["), json);
        // Lost: the 12 calls of the third sub-buffer and the ENTER of the call whose EXIT starts the fourth.
        assertTrue(json.contains(method(WORK_NAME, pairs - 13, 5L * (pairs - 13))), json);
        assertTrue(json.contains(method(OUTER_NAME, 0, 0)), json);
        final Cli text = Cli.run("summary", dir.toString());
        assertTrue(text.out().contains("  orphan exits 2  unclosed calls 0  calls cut by loss 1\n"), text.out());
    }

    private static long field(final String json, final String method, final String key)
    {
        final Matcher m = Pattern.compile("\\{\"method\":\"" + Pattern.quote(method) + "\",[^}]*\"" + key + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), method + " " + key + " in " + json);
        return Long.parseLong(m.group(1));
    }

    private static long total(final String text, final String label)
    {
        final Matcher m = Pattern.compile("  " + label + " (\\d+)").matcher(text);
        assertTrue(m.find(), label + " in " + text);
        return Long.parseLong(m.group(1));
    }

    @Test
    void aFloodThatDropsKeepsEveryCallWithinTheTraceAndAccountsForEveryEvent(@TempDir final Path dir) throws Exception
    {
        // Buffers of 2 x 25 records drained every millisecond at best: a loop of calls drops most of
        // its events, in many gaps, where they fall. What the writer kept is counted here exactly.
        long keptEnters = 0;
        long keptExits = 0;
        long refused = 0;
        long first = 0;
        long last = 0;
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, SUBBUF_SIZE, SUBBUFS, 1, RelayMode.DISCARD, 1))
        {
            define(trace);
            for (int i = 0; i < 100_000; i++)
            {
                for (final int type : new int[] {ENTER, EXIT})
                {
                    final long now = System.nanoTime();
                    if (trace.call(type, i == 0 || i == 99_999 ? OUTER : WORK, 0, now))
                    {
                        first = first == 0 ? now : first;
                        last = now;
                        keptEnters += type == ENTER ? 1 : 0;
                        keptExits += type == EXIT ? 1 : 0;
                    }
                    else
                    {
                        refused++;
                    }
                }
            }
        }
        assertTrue(refused > 1000, "refused=" + refused);
        final String json = Cli.run("summary", dir.toString(), "--json").out();
        assertTrue(json.startsWith("{\"events\":" + (keptEnters + keptExits) + ",\"lost\":0,\"dropped\":" + refused + ","), json);
        final String text = Cli.run("summary", dir.toString()).out();
        final long cut = total(text, "calls cut by loss");
        final long orphans = total(text, "orphan exits");
        final long unclosed = total(text, "unclosed calls");
        assertTrue(json.contains("\"callsCutByLoss\":" + cut + ","), json);
        assertTrue(cut > 0, text);
        final long calls = field(json, WORK_NAME, "calls") + (json.contains(OUTER_NAME) ? field(json, OUTER_NAME, "calls") : 0);
        assertEquals(keptEnters, calls + cut + unclosed, "every ENTER kept: completed, cut or unclosed");
        assertEquals(keptExits, calls + orphans, "every EXIT kept: completing a call or an orphan");
        // One thread, WORK never nested in WORK: its calls cannot add up to more than the trace lasted.
        // (Paired across the gaps, they added up to several times that.)
        assertTrue(field(json, WORK_NAME, "totalNanos") <= last - first, json);
        assertTrue(field(json, WORK_NAME, "maxNanos") <= last - first, json);
    }
}
