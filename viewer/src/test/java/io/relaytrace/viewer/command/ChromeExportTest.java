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

/** {@code export --format chrome}: parsed as JSON, its events counted against {@code summary --json}. */
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

    @Test
    void everyCallIsOneBeginAndOneEndEventOnItsThreadsTrack() throws Exception
    {
        final Path out = shared.resolve("workload.json");
        assertEquals("", ok("export", workload.toString(), "--format", "chrome", "-o", out.toString()).out());
        final String text = Files.readString(out);
        final JsonNode root = JSON.readTree(text);
        final JsonNode events = root.get("traceEvents");
        final JsonNode summary = JSON.readTree(ok("summary", workload.toString(), "--json").out());

        final long summaryEvents = summary.get("events").asLong();
        assertEquals(KnownWorkload.EVENTS, summaryEvents);
        assertEquals(summaryEvents / 2, count(events, "B"));
        assertEquals(summaryEvents / 2, count(events, "E"));
        assertEquals(summaryEvents + 1 + summary.get("threads").asLong(), events.size(), "B, E, process and thread names");

        final Map<String, Long> begins = new HashMap<>();
        long exceptions = 0;
        long carriersNamed = 0;
        final Map<Long, Deque<String>> stacks = new HashMap<>();
        final Map<Long, Double> lastTs = new HashMap<>();
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
            final double ts = e.get("ts").asDouble();
            assertTrue(ts >= lastTs.getOrDefault(tid, 0.0), "a thread's events in time order");
            lastTs.put(tid, ts);
            final Deque<String> stack = stacks.computeIfAbsent(tid, t -> new ArrayDeque<>());
            if (ph.equals("B"))
            {
                begins.merge(e.get("name").asText(), 1L, Long::sum);
                stack.push(e.get("name").asText());
                carriersNamed += e.has("args") && e.get("args").has("carrier") ? 1 : 0;
            }
            else
            {
                assertEquals("E", ph);
                assertEquals(stack.pop(), e.get("name").asText(), "E closes the innermost B of its thread");
                if (e.has("args"))
                {
                    assertEquals("java.lang.IllegalStateException", e.get("args").get("exception").asText());
                    exceptions++;
                }
            }
        }
        assertTrue(stacks.values().stream().allMatch(Deque::isEmpty), "every B has its E");
        assertEquals(summary.get("threads").asLong(), threadNames);
        assertEquals(summary.get("virtualThreads").asLong(), virtualNames);
        assertEquals(KnownWorkload.VIRTUAL_ITERATIONS * 5L * KnownWorkload.VIRTUAL_THREADS, carriersNamed,
            "every call of a virtual thread names its carrier");
        for (final JsonNode method : summary.get("methods"))
        {
            assertEquals(method.get("calls").asLong(), begins.get(method.get("method").asText()), method.toString());
        }
        assertEquals(KnownWorkload.EXCEPTIONS * 2L, exceptions, "price and checkout end by THROW");
        assertTrue(Pattern.compile("\"ts\":\\d+\\.\\d{3},").matcher(text).find(), "microseconds with ns as decimals");
        assertEquals(text, ok("export", workload.toString(), "--format", "chrome").out(), "stdout holds the same");
    }

    @Test
    void unclosedCallsEndAtTheThreadsLastEventAndNamesAreEscaped() throws Exception
    {
        final JsonNode events = JSON.readTree(ok("export", hostile.toString(), "--format", "chrome").out()).get("traceEvents");
        assertEquals(HostileTrace.CALLS + HostileTrace.UNCLOSED, count(events, "B"));
        assertEquals(HostileTrace.CALLS + HostileTrace.UNCLOSED, count(events, "E"), "the orphan exit has no event");
        final JsonNode last = events.get(5);
        assertEquals("E", last.get("ph").asText());
        assertEquals(HostileTrace.RUN_NAME, last.get("name").asText());
        assertTrue(last.get("args").get("unclosed").asBoolean());
        assertEquals(events.get(4).get("ts").asDouble(), last.get("ts").asDouble(), "its only event was the ENTER");
        assertEquals(HostileTrace.ERROR_NAME, events.get(3).get("args").get("exception").asText());
        assertEquals(HostileTrace.INIT_NAME, events.get(0).get("name").asText());
        assertEquals(HostileTrace.THREAD_NAME + "#" + events.get(0).get("tid").asLong(),
            events.get(7).get("args").get("name").asText());
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
