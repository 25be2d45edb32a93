package io.relaytrace.viewer.read;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.CrashingWriter;
import io.relaytrace.viewer.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** A JVM that died with mapped buffers: the viewer reads what the files hold plus what the mapped files salvage. */
class MappedSalvageTest
{
    @Test
    void eventsOnlyInMappedBuffersAreSalvagedAndCountedOnce(@TempDir final Path dir) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("--add-exports");
        command.add("java.base/jdk.internal.access=ALL-UNNAMED");
        command.add("--add-exports");
        command.add("java.base/jdk.internal.misc=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CrashingWriter.class.getName());
        command.add(dir.toString());
        final Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child finished");
        final String output = new String(child.getInputStream().readAllBytes());
        assertEquals(0, child.exitValue(), output);
        try (Stream<Path> files = Files.list(dir))
        {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".mmap")), "mapped files left behind");
        }
        assertFalse(Files.exists(dir.resolve("trace.closed")));

        final Trace trace = Trace.open(dir);
        assertTrue(trace.isIncomplete());
        assertTrue(trace.problems().stream().anyMatch(p -> p.message().contains("left by a JVM that died: salvaged")),
            trace.problems()::toString);
        assertTrue(trace.problems().stream().allMatch(p -> p.kind() == Problem.Kind.INCOMPLETE), trace.problems()::toString);
        assertEquals("a.Salvaged.m()", trace.definitions().methodName(2), "a definition only the mapped global buffer held");
        // The platform thread's buffer (id 1): its THREAD record and first calls in trace.0, the rest of
        // the same sub-buffer (the calls after the flush and the open call) only in its mapped file.
        final FileReport cpu0 = trace.files().stream().filter(f -> f.name().equals("trace.0")).findFirst().orElseThrow();
        final BufferAccount platform = cpu0.buffers().stream().filter(b -> b.bufferId() == 1).findFirst().orElseThrow();
        final FileReport salvaged = trace.files().stream().filter(f -> f.name().equals("trace.buffer1.mmap")).findFirst()
            .orElseThrow();
        assertEquals(2L * CrashingWriter.CALLS_AFTER_FLUSH + 1, salvaged.records());
        assertEquals(1 + 2L * CrashingWriter.PLATFORM_CALLS + 1, platform.records());
        assertEquals(0, trace.lost());

        final Cli cli = Cli.run("summary", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        final int events = 2 * CrashingWriter.PLATFORM_CALLS + 2 * CrashingWriter.VIRTUAL_CALLS + 1;
        assertTrue(cli.out().startsWith("{\"events\":" + events + ",\"lost\":0,\"dropped\":0,\"threads\":2,\"virtualThreads\":1," +
            "\"incomplete\":true,\"callsCutByLoss\":0,\"definitionsLost\":0,\"definitionsDropped\":0,\"failed\":0,\"methods\":["), cli.out());
        assertTrue(cli.out().contains("{\"method\":\"a.Flushed.m()\",\"calls\":" + CrashingWriter.PLATFORM_CALLS + ",\"exceptions\":0,"),
            cli.out());
        assertTrue(cli.out().contains("{\"method\":\"a.Salvaged.m()\",\"calls\":" + CrashingWriter.VIRTUAL_CALLS + ",\"exceptions\":0,"),
            cli.out());
        final Cli text = Cli.run("summary", dir.toString());
        assertTrue(text.out().contains("orphan exits 0  unclosed calls 1"), text.out());
        assertEquals(ExitCodes.DAMAGED, Cli.run("check", dir.toString()).status());
    }
}
