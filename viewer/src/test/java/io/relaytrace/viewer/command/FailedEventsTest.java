package io.relaytrace.viewer.command;

import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.TraceWriterFixture;
import io.relaytrace.viewer.read.Trace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Events the traced JVM's recorder failed to record (an error inside it) are in no file: the close
 * marker (version 2) counts them, and {@code summary} (text and JSON) and {@code check} show them,
 * so that events + lost + dropped + too big + failed is every event attempted. A trace closed with
 * a version 1 marker still reads, with 0 failed. A real channel: {@value #CALLS} calls written,
 * {@value #FAILED} events counted failed through it.
 */
class FailedEventsTest
{
    private static final int CALLS = 10;
    private static final int FAILED = 7;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeTrace() throws Exception
    {
        try (TraceWriterFixture trace = TraceWriterFixture.open(dir, 4096, 4, 1))
        {
            trace.defineMethod(1, "com.acme.Job", "work", "()V");
            trace.defineThread(Thread.currentThread().getId(), "main", false);
            for (int i = 0; i < CALLS; i++)
            {
                trace.enter(1);
                trace.exit(1);
            }
            for (int i = 0; i < FAILED; i++)
            {
                trace.channel().countFailedEvents(1);
            }
        }
    }

    @Test
    void summaryShowsTheFailedEventsApartFromTheLostAndDropped() throws Exception
    {
        final Cli json = Cli.run("summary", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, json.status(), json::toString);
        assertEquals("", json.err());
        assertTrue(json.out().startsWith("{\"events\":" + 2 * CALLS + ",\"lost\":0,\"dropped\":0,\"threads\":1,"), json.out());
        assertTrue(json.out().contains(",\"definitionsLost\":0,\"definitionsDropped\":0,\"failed\":" + FAILED + ",\"methods\":["),
            json.out());
        assertEquals(FAILED, Trace.open(dir).failed());

        final Cli text = Cli.run("summary", dir.toString());
        assertEquals(ExitCodes.OK, text.status(), text::toString);
        assertTrue(text.out().contains("\nevents " + 2 * CALLS + "  lost 0  dropped 0  too big 0  span "), text.out());
        assertTrue(text.out().contains("\nevents failed " + FAILED + ": the tracer could not record them (an error inside it, " +
            "counted in the close marker); not in lost or dropped\n"), text.out());
    }

    @Test
    void followShowsTheFailedEventsOnceTheTraceIsClosed()
    {
        final Cli follow = Cli.run("follow", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, follow.status(), follow::toString);
        final String[] lines = follow.out().split("\n");
        final String last = lines[lines.length - 1];
        assertTrue(last.startsWith("{\"events\":" + 2 * CALLS + ",\"lost\":0,\"dropped\":0,\"threads\":1,"), last);
        assertTrue(last.contains(",\"incomplete\":false,") && last.contains(",\"failed\":" + FAILED + ",\"methods\":["), last);
    }

    @Test
    void checkShowsTheFailedEventsAndTheTraceIsIntact()
    {
        final Cli check = Cli.run("check", dir.toString());
        assertEquals(ExitCodes.OK, check.status(), check::toString);
        assertTrue(check.out().contains(", buffers 2, failed to record " + FAILED + "\n"), check.out());
        assertTrue(check.out().endsWith("status: intact\n"), check.out());
    }

    @Test
    void aTraceClosedWithAVersion1MarkerReadsWithNoFailedEvents(@TempDir final Path scratch) throws Exception
    {
        final Path old = scratch.resolve("old");
        copyTrace(old);
        final ClosedMarker m = Trace.open(dir).closedMarker();
        Files.write(old.resolve("trace.closed"), ClosedMarkerDescriptor.encodeVersion1(new ClosedMarker(m.closeNanoTime(),
            m.events(), m.dropped(), m.tooBig(), m.lostSubbufs(), m.unattributed(), m.blocksNotWritten(), m.buffers(), 0)).array());
        assertEquals(ClosedMarkerDescriptor.V1_LENGTH, Files.size(old.resolve("trace.closed")));

        final Cli check = Cli.run("check", old.toString());
        assertEquals(ExitCodes.OK, check.status(), check::toString);
        assertTrue(check.out().contains(", buffers 2, failed to record 0\n"), check.out());
        assertTrue(check.out().endsWith("status: intact\n"), check.out());
        final Cli json = Cli.run("summary", old.toString(), "--json");
        assertEquals(ExitCodes.OK, json.status(), json::toString);
        assertTrue(json.out().startsWith("{\"events\":" + 2 * CALLS + ",\"lost\":0,\"dropped\":0,\"threads\":1,"), json.out());
        assertTrue(json.out().contains(",\"incomplete\":false,") && json.out().contains(",\"failed\":0,\"methods\":["), json.out());
        final Cli text = Cli.run("summary", old.toString());
        assertFalse(text.out().contains("events failed"), text.out());
    }

    @Test
    void aCloseMarkerWithADamagedEventsFailedIsOneDamageLine(@TempDir final Path scratch) throws Exception
    {
        final Path bad = scratch.resolve("bad");
        copyTrace(bad);
        final byte[] marker = Files.readAllBytes(bad.resolve("trace.closed"));
        marker[ClosedMarkerDescriptor.FAILED_OFFSET] ^= 0x04;
        Files.write(bad.resolve("trace.closed"), marker);

        final Cli check = Cli.run("check", bad.toString());
        assertEquals(ExitCodes.DAMAGED, check.status(), check::toString);
        assertTrue(check.out().contains("\nproblem: trace.closed@" + ClosedMarkerDescriptor.CRC_OFFSET +
            ": damaged: close marker checksum mismatch\n"), check.out());
        assertFalse(check.out().contains("closed cleanly"), check.out());
        assertTrue(check.out().endsWith("status: damaged (1 problem)\n"), check.out());
    }

    /** Copies the test's trace into {@code copy}, to change the copy. */
    private static void copyTrace(final Path copy) throws IOException
    {
        Files.createDirectories(copy);
        try (var files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                Files.copy(file, copy.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
