package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.TraceWriterFixture;
import io.relaytrace.viewer.read.Trace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Definitions the global buffer refused (THREAD_DEFs of new threads while it was full) are not
 * events: {@code summary} and {@code check} count them apart ({@code definitionsDropped}), so that
 * events + lost + dropped is exactly the events the application attempted. A real channel whose global
 * buffer nothing drains until it refused {@value #REFUSED} definitions, then a thread's calls.
 */
class DefinitionsDroppedTest
{
    private static final int REFUSED = 5;
    private static final int CALLS = 10;

    @TempDir
    static Path dir;
    static int defined;

    @BeforeAll
    static void writeTrace() throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.openBufferOnly(512, 2, 1))
        {
            trace.defineMethod(1, "com.acme.Job", "work", "()V");
            int refused = 0;
            for (long id = 1000; refused < REFUSED; id++)
            {
                if (trace.defineThread(id, "worker-" + id, false))
                {
                    defined++;
                }
                else
                {
                    refused++;
                }
            }
            trace.setupFiles(dir);
            for (int i = 0; i < CALLS; i++)
            {
                trace.enter(1);
                trace.exit(1);
            }
        }
        assertTrue(defined > 0, "defined=" + defined);
    }

    @Test
    void theSummaryCountsRefusedDefinitionsApartFromDroppedEvents() throws Exception
    {
        final Cli json = Cli.run("summary", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, json.status(), json::toString);
        assertEquals("", json.err());
        assertTrue(json.out().startsWith("{\"events\":" + 2 * CALLS + ",\"lost\":0,\"dropped\":0,\"threads\":1,"), json.out());
        assertTrue(json.out().contains(",\"definitionsLost\":0,\"definitionsDropped\":" + REFUSED + ",\"failed\":0,\"methods\":["), json.out());
        // The close marker counts every refusal, events' and definitions' alike.
        assertEquals(REFUSED, Trace.open(dir).closedMarker().dropped());

        final Cli text = Cli.run("summary", dir.toString());
        assertEquals(ExitCodes.OK, text.status(), text::toString);
        assertTrue(text.out().contains("\nevents " + 2 * CALLS + "  lost 0  dropped 0  too big 0  span "), text.out());
        assertTrue(text.out().contains("\ndefinitions (not events) lost 0  dropped " + REFUSED + ": the global buffer was full\n"),
            text.out());
    }

    @Test
    void checkCountsRefusedDefinitionsApartFromDroppedEvents()
    {
        final Cli check = Cli.run("check", dir.toString());
        assertEquals(ExitCodes.OK, check.status(), check::toString);
        // Events read: the calls' ENTERs and EXITs and the THREAD record before them.
        assertTrue(check.out().contains("\nevents: read " + (2 * CALLS + 1) + ", lost 0, dropped 0, too big 0; definitions: read " +
            (defined + 1) + ", lost 0, dropped " + REFUSED + ", too big 0\n"), check.out());
        assertTrue(check.out().endsWith("status: intact\n"), check.out());
    }
}
