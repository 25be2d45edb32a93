package io.relaytrace.viewer.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.HostileTrace;
import io.relaytrace.viewer.KnownWorkload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code export --format chrome}: parsed as JSON, its events counted against {@code summary --json}.
 * {@code ChromeTraceEngineTest} opens it with a real consumer.
 */
class ChromeExportTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path workload;
    static Path hostile;

    @BeforeAll
    static void writeTraces() throws Exception
    {
        workload = shared.resolve("workload");
        KnownWorkload.write(workload);
        hostile = shared.resolve("hostile");
        HostileTrace.write(hostile);
    }

    private static Cli ok(final String... args)
    {
        final Cli cli = Cli.run(args);
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertEquals("", cli.err(), cli::toString);
        return cli;
    }

    private static long count(final JsonNode events, final String phase)
    {
        long n = 0;
        for (final JsonNode e : events)
        {
            n += phase.equals(e.get("ph").asText()) ? 1 : 0;
        }
        return n;
    }

    /** {@code ts} or {@code dur}, microseconds with the nanoseconds as decimals, as nanoseconds. */
    private static long nanos(final JsonNode value)
    {
        return Math.round(value.asDouble() * 1000);
    }

    @Test
    void everyCallIsOneCompleteEventOnItsThreadsTrack() throws Exception
    {
        final Path out = shared.resolve("workload.json");
        assertEquals("", ok("export", workload.toString(), "--format", "chrome", "-o", out.toString()).out());
        final String text = Files.readString(out);
        final JsonNode root = JSON.readTree(text);
        final JsonNode events = root.get("traceEvents");
        final JsonNode summary = JSON.readTree(ok("summary", workload.toString(), "--json").out());

        final long summaryEvents = summary.get("events").asLong();
        assertEquals(KnownWorkload.EVENTS, summaryEvents);
        assertEquals(summaryEvents / 2, count(events, "X"));
        assertEquals(summaryEvents / 2 + 1 + summary.get("threads").asLong(), events.size(), "X, process and thread names");

        final Map<String, Long> calls = new HashMap<>();
        long exceptions = 0;
        long carriersNamed = 0;
        // Per thread, the calls written so far that have not been found inside a later one:
        // each call is written when it ends, so its callees, written before it, lie within it.
        final Map<Long, Deque<long[]>> ended = new HashMap<>();
        long threadNames = 0;
        long virtualNames = 0;
        final long pid = events.get(0).get("pid").asLong();
        for (final JsonNode e : events)
        {
            assertEquals(pid, e.get("pid").asLong());
            final String ph = e.get("ph").asText();
            final long tid = e.get("tid").asLong();
            if (ph.equals("M"))
            {
                if (e.get("name").asText().equals("thread_name"))
                {
                    threadNames++;
                    final String name = e.get("args").get("name").asText();
                    assertTrue(name.matches("(platform|virtual)-\\d#" + tid + "( \\(virtual\\))?"), name);
                    virtualNames += name.endsWith(" (virtual)") ? 1 : 0;
                }
                continue;
            }
            assertEquals("method", e.get("cat").asText());
            assertEquals("X", ph);
            final long start = nanos(e.get("ts"));
            final long end = start + nanos(e.get("dur"));
            final Deque<long[]> done = ended.computeIfAbsent(tid, t -> new ArrayDeque<>());
            assertTrue(done.isEmpty() || done.peek()[1] <= end, "a thread's calls are written in the order they end");
            while (!done.isEmpty() && done.peek()[0] >= start)
            {
                assertTrue(done.pop()[1] <= end, "a callee ends within its caller");
            }
            assertTrue(done.isEmpty() || done.peek()[1] <= start, "calls of a thread do not overlap unless nested");
            done.push(new long[] {start, end});
            calls.merge(e.get("name").asText(), 1L, Long::sum);
            final JsonNode args = e.get("args");
            carriersNamed += args.has("carrier") ? 1 : 0;
            if (args.has("exception"))
            {
                assertEquals("java.lang.IllegalStateException", args.get("exception").asText());
                exceptions++;
            }
        }
        assertEquals(summary.get("threads").asLong(), threadNames);
        assertEquals(summary.get("virtualThreads").asLong(), virtualNames);
        assertEquals(KnownWorkload.VIRTUAL_ITERATIONS * 5L * KnownWorkload.VIRTUAL_THREADS, carriersNamed,
            "every call of a virtual thread names its carrier");
        for (final JsonNode method : summary.get("methods"))
        {
            assertEquals(method.get("calls").asLong(), calls.get(method.get("method").asText()), method.toString());
        }
        assertEquals(KnownWorkload.EXCEPTIONS * 2L, exceptions, "price and checkout end by THROW");
        assertTrue(Pattern.compile("\"ts\":\\d+\\.\\d{3},\"dur\":\\d+\\.\\d{3},").matcher(text).find(),
            "microseconds with ns as decimals");
        assertEquals(text, ok("export", workload.toString(), "--format", "chrome").out(), "stdout holds the same");
    }

    @Test
    void unclosedCallsEndAtTheThreadsLastEventAndNamesAreEscaped() throws Exception
    {
        final JsonNode events = JSON.readTree(ok("export", hostile.toString(), "--format", "chrome").out()).get("traceEvents");
        assertEquals(HostileTrace.CALLS + HostileTrace.UNCLOSED, count(events, "X"), "the orphan exit has no event");
        assertEquals(HostileTrace.INIT_NAME, events.get(0).get("name").asText());
        assertEquals(HostileTrace.ERROR_NAME, events.get(1).get("args").get("exception").asText());
        final JsonNode last = events.get(2);
        assertEquals(HostileTrace.RUN_NAME, last.get("name").asText());
        assertTrue(last.get("args").get("unclosed").asBoolean());
        assertEquals(0, nanos(last.get("dur")), "its only event was the ENTER");
        assertEquals(HostileTrace.THREAD_NAME + "#" + events.get(0).get("tid").asLong(),
            events.get(4).get("args").get("name").asText());
    }

    @Test
    void explainsAWrongOutput()
    {
        final Cli dir = Cli.run("export", workload.toString(), "--format", "chrome", "-o", shared.toString());
        assertEquals(ExitCodes.USAGE, dir.status(), dir::toString);
        assertEquals("relaytrace-viewer export: -o " + shared + " is a directory: give a file to write\n", dir.err());
        final Cli format = Cli.run("export", workload.toString(), "--format", "svg");
        assertEquals(ExitCodes.USAGE, format.status(), format::toString);
        assertTrue(format.err().contains("collapsed, hgrm, chrome, ctf"), format.err());
    }
}
