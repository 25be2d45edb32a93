package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.TraceWriterFixture;
import io.relaytrace.relay.RelayMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** {@code follow} while a thread of the test writes the trace through a real channel. */
class FollowCommandTest
{
    private static final Pattern TOTALS = Pattern.compile(
        "^\\{\"events\":(\\d+),\"lost\":(\\d+),\"dropped\":(\\d+),\"threads\":(\\d+),\"virtualThreads\":(\\d+),\"incomplete\":(true|false),");
    private static final int ROUNDS = 8;
    private static final int CALLS_PER_ROUND = 500;
    private static final int WORK = 11;

    @TempDir
    Path dir;

    @Test
    void printsGrowingSummariesUntilTheTraceIsClosed() throws Exception
    {
        final CompletableFuture<Cli> follow;
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 4096, 64, 1, RelayMode.DISCARD, 5))
        {
            trace.defineMethod(WORK, "com.acme.Job", "work", "(I)V");
            follow = CompletableFuture.supplyAsync(() -> Cli.run("follow", dir.toString(), "--interval", "40ms", "--json"));
            final Thread writer = Thread.ofPlatform().name("writer").start(() ->
            {
                for (int round = 0; round < ROUNDS; round++)
                {
                    for (int i = 0; i < CALLS_PER_ROUND; i++)
                    {
                        trace.enter(WORK);
                        trace.exit(WORK);
                    }
                    try
                    {
                        Thread.sleep(60);
                    }
                    catch (final InterruptedException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }
            });
            trace.defineThread(writer.threadId(), "writer", false);
            writer.join();
            assertFalse(follow.isDone(), "follow runs until the trace is closed");
        }
        final Cli cli = follow.get(30, TimeUnit.SECONDS);
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertEquals("", cli.err(), "nothing taken for damage while being written");

        final List<String> updates = cli.out().lines().toList();
        assertTrue(updates.size() >= 4, cli::toString);
        long previous = 0;
        int partial = 0;
        for (int i = 0; i < updates.size(); i++)
        {
            final Matcher m = TOTALS.matcher(updates.get(i));
            assertTrue(m.find(), updates.get(i));
            final long events = Long.parseLong(m.group(1));
            assertTrue(events >= previous, "events only grow");
            previous = events;
            partial += events > 0 && events < ROUNDS * CALLS_PER_ROUND * 2L ? 1 : 0;
            assertEquals("0", m.group(2), "lost");
            assertEquals(i == updates.size() - 1 ? "false" : "true", m.group(6), "incomplete until the last update");
        }
        assertTrue(partial >= 2, "updates while the trace grew: " + cli.out());
        final String last = updates.get(updates.size() - 1);
        assertTrue(last.startsWith("{\"events\":" + ROUNDS * CALLS_PER_ROUND * 2 + ",\"lost\":0,\"dropped\":0,\"threads\":1," +
            "\"virtualThreads\":0,\"incomplete\":false,\"callsCutByLoss\":0,\"definitionsLost\":0,\"definitionsDropped\":0,\"failed\":0,\"methods\":[{\"method\":\"com.acme.Job.work(int)\",\"calls\":" +
            ROUNDS * CALLS_PER_ROUND + ",\"exceptions\":0,"), last);
    }

    @Test
    void aClosedTraceIsOneUpdateEqualToTheSummary() throws Exception
    {
        final Path workload = dir.resolve("workload");
        io.relaytrace.viewer.KnownWorkload.write(workload);
        final Cli summary = Cli.run("summary", workload.toString(), "--json");
        final Cli follow = Cli.run("follow", workload.toString(), "--json");
        assertEquals(ExitCodes.OK, follow.status(), follow::toString);
        assertEquals("", follow.err());
        assertEquals(summary.out(), follow.out(), "the same events in the same order: the same statistics");

        final List<String> text = Cli.run("follow", workload.toString()).out().lines().toList();
        assertTrue(text.get(0).matches("follow " + Pattern.quote(workload.toString()) + " at \\+\\d+\\.\\ds: closed cleanly, final"),
            text.get(0));
        assertEquals(Cli.run("summary", workload.toString()).out().lines().skip(1).toList(),
            text.subList(1, text.size() - 1), "then the summary's text");
    }

    @Test
    void explainsWrongArguments()
    {
        final Cli interval = Cli.run("follow", dir.toString(), "--interval", "soon");
        assertEquals(ExitCodes.USAGE, interval.status(), interval::toString);
        assertTrue(interval.err().contains("'soon' is not a duration: give e.g. 500ms, 1s or 2m"), interval.err());
        final Cli notATrace = Cli.run("follow", dir.toString());
        assertEquals(ExitCodes.USAGE, notATrace.status(), notATrace::toString);
        assertEquals("relaytrace-viewer follow: " + dir + " is not a relaytrace trace: no <base>header file (such as trace.header) in it\n",
            notATrace.err());
    }
}
