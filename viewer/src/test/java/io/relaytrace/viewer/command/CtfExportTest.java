package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.HostileTrace;
import io.relaytrace.viewer.KnownWorkload;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code export --format ctf}: read back by babeltrace2, its events counted against {@code summary --json}. */
class CtfExportTest
{
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

    private static boolean babeltraceInstalled() throws Exception
    {
        final Process which = new ProcessBuilder("sh", "-c", "command -v babeltrace2").redirectErrorStream(true).start();
        return which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0;
    }

    /** Runs babeltrace2 with a 60 s bound; its stdout is in the result, stderr in the failure message. */
    private static String babeltrace(final String... args) throws Exception
    {
        assumeTrue(babeltraceInstalled(), "babeltrace2 is not installed (Debian package babeltrace2; .ci/run installs it)");
        final List<String> command = new java.util.ArrayList<>(List.of("babeltrace2"));
        command.addAll(List.of(args));
        final Path err = Files.createTempFile(shared, "babeltrace", ".err");
        final Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        try
        {
            final byte[] out = process.getInputStream().readAllBytes();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "babeltrace2 finished");
            assertEquals(0, process.exitValue(), () -> command + " failed: " + read(err));
            return new String(out, StandardCharsets.UTF_8);
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    private static Path export(final Path trace, final String name)
    {
        final Path ctf = shared.resolve(name);
        final Cli cli = Cli.run("export", trace.toString(), "--format", "ctf", "-o", ctf.toString());
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertEquals("", cli.out() + cli.err());
        return ctf;
    }

    @Test
    void babeltraceReadsEveryEvent() throws Exception
    {
        final Path ctf = export(workload, "workload-ctf");
        assertTrue(Files.readString(ctf.resolve("metadata")).startsWith("/* CTF 1.8 */\n"));
        final String counter = babeltrace(ctf.toString(), "-c", "sink.utils.counter", "-p", "step=+0");
        final Matcher events = Pattern.compile("(?m)^\\s*(\\d+) Event messages?$").matcher(counter);
        assertTrue(events.find(), counter);
        final Cli summary = Cli.run("summary", workload.toString(), "--json");
        final Matcher summaryEvents = Pattern.compile("^\\{\"events\":(\\d+),").matcher(summary.out());
        assertTrue(summaryEvents.find(), summary.out());
        assertEquals(Long.parseLong(summaryEvents.group(1)), Long.parseLong(events.group(1)), counter);
        assertEquals(KnownWorkload.EVENTS, Long.parseLong(events.group(1)));

        final List<String> lines = babeltrace(ctf.toString()).lines().toList();
        assertEquals(KnownWorkload.EVENTS, lines.size());
        assertEquals(KnownWorkload.ITERATIONS * 5L - KnownWorkload.EXCEPTIONS * 2L,
            lines.stream().filter(l -> l.contains(" method_exit: ")).count());
        assertEquals(KnownWorkload.EXCEPTIONS * 2L, lines.stream()
            .filter(l -> l.contains(" method_exception: ") && l.contains("exception = \"java.lang.IllegalStateException\"")).count());
        assertEquals(KnownWorkload.VIRTUAL_THREADS * KnownWorkload.VIRTUAL_ITERATIONS * 10L, lines.stream()
            .filter(l -> l.contains("thread = \"virtual-") && l.contains("is_virtual = 1")).count());
        assertEquals(KnownWorkload.ITERATIONS * 2L, lines.stream()
            .filter(l -> l.contains(" method_entry: ") && l.contains("method = \"" + KnownWorkload.ADD_NAME + "\"")).count());
    }

    @Test
    void namesArriveAsWrittenWithOrphanAndUnclosedCallsCounted() throws Exception
    {
        final Path ctf = export(hostile, "hostile-ctf");
        final List<String> lines = babeltrace(ctf.toString()).lines().toList();
        assertEquals(HostileTrace.EVENTS, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains(" method_exit: ") && lines.get(0).contains("method = \"" + HostileTrace.BEFORE_NAME + "\""),
            lines.get(0));
        assertTrue(lines.get(4).contains("exception = \"" + HostileTrace.ERROR_NAME.replace("\"", "\\\"") + "\""), lines.get(4));
        assertTrue(lines.get(4).contains("thread = \"" + HostileTrace.THREAD_NAME.replace("\"", "\\\"").replace("'", "\\'") + "\""), lines.get(4));
    }

    @Test
    void aDamagedTraceExportsWhatItHoldsWithItsLossesInTheEnvironment() throws Exception
    {
        final Path damaged = io.relaytrace.viewer.TraceSurgery.copy(workload, shared.resolve("damaged"));
        final Path cpu0 = damaged.resolve("trace.0");
        io.relaytrace.viewer.TraceSurgery.flip(cpu0, io.relaytrace.viewer.TraceSurgery.blockStarts(cpu0).get(3) + 120);
        final Cli summary = Cli.run("summary", damaged.toString(), "--json");
        final Matcher totals = Pattern.compile("^\\{\"events\":(\\d+),\"lost\":(\\d+),\"dropped\":0,").matcher(summary.out());
        assertTrue(totals.find(), summary.out());
        final long lost = Long.parseLong(totals.group(2));
        assertTrue(lost > 0, summary.out());

        final Path ctf = shared.resolve("damaged-ctf");
        final Cli cli = Cli.run("export", damaged.toString(), "--format", "ctf", "-o", ctf.toString());
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertTrue(cli.err().startsWith("warning: trace.0@"), cli.err());
        final String details = babeltrace(ctf.toString(), "-c", "sink.text.details");
        final String environment = details.substring(details.indexOf("Environment ("), details.indexOf("Stream (ID 0"));
        assertTrue(environment.contains("events_lost: " + String.format(java.util.Locale.ROOT, "%,d", lost) + "\n"), environment);
        assertTrue(environment.contains("events_dropped: 0\n"), environment);
        assertTrue(environment.contains("incomplete: 0\n"), environment);
        final String counter = babeltrace(ctf.toString(), "-c", "sink.utils.counter", "-p", "step=+0");
        assertTrue(counter.contains(" " + totals.group(1) + " Event messages\n"), counter + " vs " + summary.out());
    }

    @Test
    void refusesAnOutputThatIsNotANewOrEmptyDirectory() throws Exception
    {
        final Cli missing = Cli.run("export", workload.toString(), "--format", "ctf");
        assertEquals(ExitCodes.USAGE, missing.status(), missing::toString);
        assertEquals("relaytrace-viewer export: --format ctf writes a directory: give it with -o DIR\n", missing.err());
        final Path full = Files.createDirectories(shared.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        final Cli notEmpty = Cli.run("export", workload.toString(), "--format", "ctf", "-o", full.toString());
        assertEquals(ExitCodes.USAGE, notEmpty.status(), notEmpty::toString);
        assertEquals("relaytrace-viewer export: -o " + full + " is not empty: ctf needs a new or empty directory\n", notEmpty.err());
    }
}
