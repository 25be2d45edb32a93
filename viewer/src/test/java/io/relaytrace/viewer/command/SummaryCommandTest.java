package io.relaytrace.viewer.command;

import io.relaytrace.event.EventDescriptor;
import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.KnownWorkload;
import io.relaytrace.viewer.TraceSurgery;
import io.relaytrace.viewer.TraceWriterFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class SummaryCommandTest
{
    private static final Pattern METHOD = Pattern.compile(
        "\\{\"method\":\"([^\"]*)\",\"calls\":(\\d+),\"exceptions\":(\\d+),\"totalNanos\":(\\d+),\"selfNanos\":(\\d+)," +
        "\"minNanos\":(\\d+),\"p50Nanos\":(\\d+),\"p90Nanos\":(\\d+),\"p99Nanos\":(\\d+),\"p999Nanos\":(\\d+),\"maxNanos\":(\\d+)\\}");

    @TempDir
    static Path shared;
    static Path workload;

    @BeforeAll
    static void writeWorkload() throws Exception
    {
        workload = shared.resolve("workload");
        KnownWorkload.write(workload);
    }

    @Test
    void jsonHasExactCountsForAKnownWorkload()
    {
        final Cli cli = Cli.run("summary", workload.toString(), "--json");
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertEquals("", cli.err());
        final String json = cli.out();
        assertTrue(json.endsWith("]}\n") && json.indexOf('\n') == json.length() - 1, "exactly one line: " + json);
        assertTrue(json.startsWith("{\"events\":" + KnownWorkload.EVENTS + ",\"lost\":0,\"dropped\":0,\"threads\":" +
            KnownWorkload.THREADS + ",\"virtualThreads\":" + KnownWorkload.VIRTUAL_THREADS +
            ",\"incomplete\":false,\"callsCutByLoss\":0,\"definitionsLost\":0,\"definitionsDropped\":0,\"failed\":0,\"methods\":["), json);

        final Matcher m = METHOD.matcher(json);
        int methods = 0;
        long selfSum = 0;
        while (m.find())
        {
            methods++;
            final String name = m.group(1);
            final long calls = Long.parseLong(m.group(2));
            final long exceptions = Long.parseLong(m.group(3));
            final long total = Long.parseLong(m.group(4));
            final long self = Long.parseLong(m.group(5));
            final long[] order = {Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                Long.parseLong(m.group(9)), Long.parseLong(m.group(10))};
            final long max = Long.parseLong(m.group(11));
            for (int i = 1; i < order.length; i++)
            {
                assertTrue(order[i - 1] <= order[i], "min <= p50 <= p90 <= p99 <= p99.9 for " + name);
            }
            assertTrue(order[0] <= max && self <= total && total >= max, name);
            selfSum += self;
            switch (name)
            {
                case KnownWorkload.INIT_NAME:
                    assertEquals(KnownWorkload.ITERATIONS, calls);
                    assertEquals(0, exceptions);
                    assertEquals(total, self, "a leaf's self time is its total");
                    break;
                case KnownWorkload.ADD_NAME:
                    assertEquals(KnownWorkload.ITERATIONS * 2L, calls);
                    assertEquals(0, exceptions);
                    break;
                case KnownWorkload.CHECKOUT_NAME:
                    assertEquals(KnownWorkload.ITERATIONS, calls);
                    assertEquals(KnownWorkload.EXCEPTIONS, exceptions);
                    assertTrue(self < total, "checkout has callees");
                    break;
                case KnownWorkload.PRICE_NAME:
                    assertEquals(KnownWorkload.ITERATIONS, calls);
                    assertEquals(KnownWorkload.EXCEPTIONS, exceptions);
                    break;
                default:
                    fail("unexpected method " + name);
            }
        }
        assertEquals(4, methods, json);

        final Cli collapsed = Cli.run("export", workload.toString(), "--format", "collapsed");
        assertEquals(ExitCodes.OK, collapsed.status(), collapsed::toString);
        long foldedSum = 0;
        for (final String line : collapsed.out().split("\n"))
        {
            foldedSum += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
        }
        assertEquals(selfSum, foldedSum, "folded stacks hold every method's self time");
        assertTrue(collapsed.out().contains("\n" + KnownWorkload.CHECKOUT_NAME + ";" + KnownWorkload.ADD_NAME + " "),
            collapsed.out());
    }

    @Test
    void jsonFormatIsExact(@TempDir final Path dir) throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 1024, 8, 1))
        {
            trace.defineMethod(1, "a.B", "run", "()V");
            trace.defineMethod(2, "a.B", "work", "(J[Ljava/lang/String;)I");
            trace.defineMethod(3, "q.Odd", "we\"ird\\na\u0001me", "()V");
            trace.call(EventDescriptor.ENTER, 1, 0, 1000);
            trace.call(EventDescriptor.ENTER, 2, 0, 1100);
            trace.call(EventDescriptor.EXIT, 2, 0, 1400);
            trace.call(EventDescriptor.ENTER, 2, 0, 1500);
            trace.call(EventDescriptor.THROW, 2, 9, 1600);
            trace.call(EventDescriptor.ENTER, 3, 0, 1700);
            trace.call(EventDescriptor.EXIT, 3, 0, 1707);
            trace.call(EventDescriptor.EXIT, 1, 0, 2000);
        }
        final Cli cli = Cli.run("summary", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertEquals("{\"events\":8,\"lost\":0,\"dropped\":0,\"threads\":1,\"virtualThreads\":0,\"incomplete\":false,\"callsCutByLoss\":0,\"definitionsLost\":0,\"definitionsDropped\":0,\"failed\":0,\"methods\":[" +
            "{\"method\":\"a.B.run()\",\"calls\":1,\"exceptions\":0,\"totalNanos\":1000,\"selfNanos\":593,\"minNanos\":1000," +
            "\"p50Nanos\":1000,\"p90Nanos\":1000,\"p99Nanos\":1000,\"p999Nanos\":1000,\"maxNanos\":1000}," +
            "{\"method\":\"a.B.work(long,java.lang.String[])\",\"calls\":2,\"exceptions\":1,\"totalNanos\":400,\"selfNanos\":400," +
            "\"minNanos\":100,\"p50Nanos\":100,\"p90Nanos\":300,\"p99Nanos\":300,\"p999Nanos\":300,\"maxNanos\":300}," +
            "{\"method\":\"q.Odd.we\\\"ird\\\\na\\u0001me()\",\"calls\":1,\"exceptions\":0,\"totalNanos\":7,\"selfNanos\":7," +
            "\"minNanos\":7,\"p50Nanos\":7,\"p90Nanos\":7,\"p99Nanos\":7,\"p999Nanos\":7,\"maxNanos\":7}]}\n", cli.out());
    }

    @Test
    void twoMethodIdsWithOneNameAreOneEntry(@TempDir final Path dir) throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 1024, 8, 1))
        {
            // The same class loaded by two class loaders: two ids, one name.
            trace.defineMethod(1, "a.B", "m", "()V");
            trace.defineMethod(2, "a.B", "m", "()V");
            trace.call(EventDescriptor.ENTER, 1, 0, 100);
            trace.call(EventDescriptor.EXIT, 1, 0, 110);
            trace.call(EventDescriptor.ENTER, 2, 0, 200);
            trace.call(EventDescriptor.THROW, 2, 5, 230);
        }
        final Cli cli = Cli.run("summary", dir.toString(), "--json");
        assertEquals("{\"events\":4,\"lost\":0,\"dropped\":0,\"threads\":1,\"virtualThreads\":0,\"incomplete\":false,\"callsCutByLoss\":0,\"definitionsLost\":0,\"definitionsDropped\":0,\"failed\":0,\"methods\":[" +
            "{\"method\":\"a.B.m()\",\"calls\":2,\"exceptions\":1,\"totalNanos\":40,\"selfNanos\":40,\"minNanos\":10," +
            "\"p50Nanos\":10,\"p90Nanos\":30,\"p99Nanos\":30,\"p999Nanos\":30,\"maxNanos\":30}]}\n", cli.out());
    }

    @Test
    void textSummaryShowsTotalsAndATableOfMethods()
    {
        final Cli cli = Cli.run("summary", workload.toString());
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertTrue(cli.out().contains("events " + KnownWorkload.EVENTS + "  lost 0  dropped 0  too big 0  span "), cli.out());
        assertTrue(cli.out().contains("threads 8 (6 virtual)  carriers "), cli.out());
        assertTrue(cli.out().contains("orphan exits 0  unclosed calls 0"), cli.out());
        final String addRow = cli.out().lines().filter(l -> l.startsWith(KnownWorkload.ADD_NAME)).findFirst().orElseThrow();
        assertEquals(Integer.toString(KnownWorkload.ITERATIONS * 2), addRow.substring(KnownWorkload.ADD_NAME.length()).trim().split(" +")[0]);
    }

    @Test
    void aDamagedTraceIsSummarisedWithWarnings(@TempDir final Path dir) throws Exception
    {
        TraceSurgery.copy(workload, dir);
        Files.delete(dir.resolve("trace.closed"));
        final byte[] bytes = Files.readAllBytes(dir.resolve("trace.0"));
        Files.write(dir.resolve("trace.0"), java.util.Arrays.copyOf(bytes, bytes.length - 10));
        final Cli cli = Cli.run("summary", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertTrue(cli.out().contains("\"incomplete\":true"), cli.out());
        assertEquals(2, cli.err().lines().count(), cli.err());
        assertTrue(cli.err().lines().allMatch(l -> l.startsWith("warning: trace.")), cli.err());
    }
}
