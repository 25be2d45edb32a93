package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.TraceWriterFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** A trace closed before any call: every export and the report say so instead of failing. */
class EmptyTraceTest
{
    @TempDir
    static Path shared;
    static Path empty;

    @BeforeAll
    static void writeTrace() throws Exception
    {
        empty = shared.resolve("empty");
        try (TraceWriterFixture trace = TraceWriterFixture.open(empty, 4096, 4, 2))
        {
            trace.defineMethod(1, "com.acme.Idle", "never", "()V");
        }
    }

    private static Cli ok(final String... args)
    {
        final Cli cli = Cli.run(args);
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertEquals("", cli.err(), cli::toString);
        return cli;
    }

    @Test
    void chromeHasOnlyTheProcessName()
    {
        final String json = ok("export", empty.toString(), "--format", "chrome").out();
        assertTrue(json.startsWith("{\"traceEvents\":[\n{\"name\":\"process_name\",\"ph\":\"M\","), json);
        assertEquals(3, json.lines().count(), json);
    }

    @Test
    void ctfHasMetadataAndNoStream() throws Exception
    {
        final Path ctf = shared.resolve("ctf");
        ok("export", empty.toString(), "--format", "ctf", "-o", ctf.toString());
        try (var files = Files.list(ctf))
        {
            assertEquals(java.util.List.of("metadata"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void reportSaysThereWereNoCalls() throws Exception
    {
        final Path html = shared.resolve("empty.html");
        ok("report", empty.toString(), "-o", html.toString());
        final String text = Files.readString(html);
        assertTrue(text.contains("<th class=\"name\">events</th><td>0</td>"), text);
        assertTrue(text.contains("<p>No calls were traced.</p>"), text);
        assertFalse(text.contains("<svg"), text);
    }
}
