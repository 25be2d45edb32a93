package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.KnownWorkload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code events}, {@code tree}, {@code threads} and {@code export --format hgrm} on a known workload. */
class BrowsingCommandsTest
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

    private static Cli ok(final String... args)
    {
        final Cli cli = Cli.run(args);
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertEquals("", cli.err(), cli::toString);
        return cli;
    }

    private static long time(final String line)
    {
        return Long.parseLong(line.trim().split(" +")[0]);
    }

    @Test
    void eventsPrintsEveryEventInOrderAndFilters()
    {
        final List<String> all = ok("events", workload.toString()).out().lines().toList();
        assertEquals(KnownWorkload.EVENTS, all.size());
        for (int i = 1; i < all.size(); i++)
        {
            assertTrue(time(all.get(i - 1)) <= time(all.get(i)), "timestamp order");
        }

        final List<String> adds = ok("events", workload.toString(), "--thread", "platform-0", "--method", "com.acme.Cart.add*")
            .out().lines().toList();
        assertEquals(KnownWorkload.PLATFORM_ITERATIONS * 4, adds.size());
        assertTrue(adds.stream().allMatch(l -> l.matches(" *\\d+ platform-0#\\d+ c\\d+ (ENTER|EXIT )   com\\.acme\\.Cart\\.add\\(java\\.lang\\.String,int\\)")),
            adds.get(0));

        final List<String> throwsOnly = ok("events", workload.toString(), "--method", "*checkout*").out().lines()
            .filter(l -> l.contains(" THROW ")).toList();
        assertEquals(KnownWorkload.EXCEPTIONS, throwsOnly.size());
        assertTrue(throwsOnly.get(0).endsWith("THROW com.acme.Cart.checkout(com.acme.Item[],long) !java.lang.IllegalStateException"),
            throwsOnly.get(0));

        final long middle = time(all.get(all.size() / 2));
        final long end = time(all.get(all.size() * 3 / 4));
        final long expected = all.stream().filter(l -> time(l) >= middle && time(l) < end).count();
        final List<String> window = ok("events", workload.toString(), "--from", Long.toString(middle), "--to", Long.toString(end))
            .out().lines().toList();
        assertEquals(expected, window.size());
        assertTrue(window.stream().allMatch(l -> time(l) >= middle && time(l) < end));
    }

    @Test
    void treeShowsEachThreadsCallPaths()
    {
        final String out = ok("tree", workload.toString(), "--thread", "virtual-2").out();
        final List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).matches("thread virtual-2#\\d+ \\(virtual\\): 1000 events, 500 calls, 0 orphan exits, 0 unclosed"),
            out);
        assertEquals(6, lines.size(), out);
        assertTrue(out.contains("\n  100          10         0 "), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches(" *200 +0 +0 +\\S+ +\\S+ +  com\\.acme\\.Cart\\.add\\(java\\.lang\\.String,int\\)")), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches(" *100 +10 +0 +\\S+ +\\S+ +  com\\.acme\\.Pricing\\$Rules\\.price\\(java\\.util\\.List,int\\[\\]\\[\\]\\)")), out);
        assertTrue(lines.stream().anyMatch(l -> l.matches(" *100 +0 +0 +\\S+ +\\S+ +com\\.acme\\.Cart\\.<init>\\(\\)")), out);

        final String all = ok("tree", workload.toString()).out();
        assertEquals(KnownWorkload.THREADS, all.lines().filter(l -> l.startsWith("thread ")).count());

        final List<String> merged = ok("tree", workload.toString(), "--merged").out().lines().toList();
        assertEquals("all 8 threads: " + KnownWorkload.EVENTS + " events, 0 orphan exits, 0 unclosed", merged.get(0));
        assertEquals(6, merged.size(), String.join("\n", merged));
        assertTrue(merged.stream().anyMatch(l -> l.matches(" *" + KnownWorkload.ITERATIONS + " +" + KnownWorkload.EXCEPTIONS +
            " +0 +\\S+ +\\S+ +com\\.acme\\.Cart\\.checkout\\(com\\.acme\\.Item\\[\\],long\\)")), String.join("\n", merged));
        assertTrue(merged.stream().anyMatch(l -> l.matches(" *" + KnownWorkload.ITERATIONS * 2 +
            " +0 +0 +\\S+ +\\S+ +  com\\.acme\\.Cart\\.add\\(java\\.lang\\.String,int\\)")), String.join("\n", merged));
    }

    @Test
    void threadsShowsVirtualThreadsAndTheirCarriers()
    {
        final List<String> lines = ok("threads", workload.toString()).out().lines().toList();
        assertEquals("8 threads (6 virtual); times since the trace started", lines.get(0));
        final List<String> threadRows = lines.stream().filter(l -> l.matches(" *\\d+  \\S+ +(virtual|platform) .*")).toList();
        assertEquals(KnownWorkload.THREADS, threadRows.size(), String.join("\n", lines));
        assertEquals(KnownWorkload.VIRTUAL_THREADS, threadRows.stream().filter(l -> l.contains(" virtual ")).count());
        for (final String row : threadRows)
        {
            final String[] cells = row.trim().split(" +");
            assertEquals(row.contains(" virtual ") ? "1000" : "2000", cells[3], row);
        }
        assertTrue(lines.size() > threadRows.size() + 1, "some virtual thread ran on a second carrier");
    }

    @Test
    void hgrmExportHasAPercentileDistributionPerMethod()
    {
        final String out = ok("export", workload.toString(), "--format", "hgrm", "--method", "com.acme.Cart.*").out();
        assertEquals(3, out.lines().filter(l -> l.startsWith("# method: com.acme.Cart.")).count(), out);
        assertEquals(3, out.lines().filter(l -> l.startsWith("#[Mean")).count(), out);
        assertTrue(out.contains("#[Max"), out);
    }
}
