package io.relaytrace.viewer.read;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.TraceWriterFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A mapped buffer file left in a cleanly closed trace (its buffer was retired while the directory was
 * read-only, so the file could not be deleted): with the close marker, the buffer's final block in the
 * files and nothing in the mapped file that the files lack, it is a leftover, and the trace is intact.
 * Without the close marker the same file is what a JVM that died left: the trace is incomplete. A real
 * mapped channel; the file is copied while the channel is open and put back after it closed.
 */
class LeftoverMappedBufferTest
{
    private static final int CALLS = 100;

    @Test
    void aMappedBufferLeftByACleanCloseIsNotAProblem(@TempDir final Path dir) throws Exception
    {
        final Path copy = dir.resolve("copy.mmap");
        final Path trace = dir.resolve("t");
        final Path leftover = trace.resolve("trace.buffer1.mmap");
        try (TraceWriterFixture writer = TraceWriterFixture.openMapped(trace, 4096, 4, 1))
        {
            writer.defineMethod(1, "com.acme.Job", "work", "()V");
            writer.defineThread(Thread.currentThread().getId(), "main", false);
            for (int i = 0; i < CALLS; i++)
            {
                writer.enter(1);
                writer.exit(1);
            }
            Files.copy(leftover, copy);
        }
        assertFalse(Files.exists(leftover), "deleted at close");
        Files.copy(copy, leftover);

        final Trace read = Trace.open(trace);
        assertFalse(read.isIncomplete());
        assertEquals(java.util.List.of(), read.problems());
        final Cli check = Cli.run("check", trace.toString());
        assertEquals(ExitCodes.OK, check.status(), check::toString);
        assertTrue(check.out().contains("\ntrace.buffer1.mmap "), check.out());
        assertTrue(check.out().endsWith("status: intact\n"), check.out());
        final Cli summary = Cli.run("summary", trace.toString(), "--json");
        assertTrue(summary.out().startsWith("{\"events\":" + 2 * CALLS + ",\"lost\":0,\"dropped\":0,"), summary.out());
        assertEquals("", summary.err());

        Files.delete(trace.resolve("trace.closed"));
        final Trace died = Trace.open(trace);
        assertTrue(died.isIncomplete());
        assertTrue(died.problems().stream().anyMatch(p -> p.toString().equals(
            "trace.buffer1.mmap: incomplete: mapped buffer id=1 left by a JVM that died: salvaged 0 blocks, 0 events the files " +
                "did not hold")), died.problems()::toString);
    }
}
