package io.relaytrace.viewer.command;

import io.relaytrace.viewer.Cli;
import io.relaytrace.viewer.ExitCodes;
import io.relaytrace.viewer.KnownWorkload;
import io.relaytrace.viewer.TraceSurgery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code check}'s report and exit statuses, and the one-line user errors shared by every command. */
class CheckCommandTest
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

    private static Path copy(final Path dir) throws Exception
    {
        return TraceSurgery.copy(workload, dir);
    }

    @Test
    void anIntactTraceExitsZero()
    {
        final Cli cli = Cli.run("check", workload.toString());
        assertEquals(ExitCodes.OK, cli.status(), cli::toString);
        assertEquals("", cli.err());
        assertTrue(cli.out().startsWith("file "), cli.out());
        assertTrue(cli.out().lines().anyMatch(l -> l.matches("trace\\.0 +\\d+ +\\d+ +0 +0 +\\d+ +\\d+ +0 +0 +0")), cli.out());
        assertTrue(cli.out().endsWith("status: intact\n"), cli.out());
    }

    @Test
    void aFlippedByteExitsOneAndNamesFileAndOffset(@TempDir final Path dir) throws Exception
    {
        copy(dir);
        final Path file = dir.resolve("trace.1");
        final byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 1; // in the first block's header: its carrier id
        Files.write(file, bytes);
        final Cli cli = Cli.run("check", dir.toString());
        assertEquals(ExitCodes.DAMAGED, cli.status(), cli::toString);
        assertTrue(cli.out().contains("problem: trace.1@0: damaged: block checksum mismatch; skipped "), cli.out());
        assertTrue(cli.out().lines().anyMatch(l -> l.matches("trace\\.1 +\\d+ +\\d+ +1 +\\d+ +.*")), cli.out());
        assertTrue(cli.out().endsWith("status: damaged (1 problem)\n"), cli.out());
    }

    @Test
    void truncatedOrMissingFilesAndNoMarkerExitOne(@TempDir final Path dir) throws Exception
    {
        copy(dir);
        final byte[] bytes = Files.readAllBytes(dir.resolve("trace.0"));
        Files.write(dir.resolve("trace.0"), Arrays.copyOf(bytes, bytes.length - 1));
        Cli cli = Cli.run("check", dir.toString());
        assertEquals(ExitCodes.DAMAGED, cli.status(), cli::toString);
        assertTrue(cli.out().contains("problem: trace.0@"), cli.out());
        assertTrue(cli.out().contains(": incomplete: file truncated: "), cli.out());
        assertTrue(cli.out().endsWith("status: incomplete (1 problem)\n"), cli.out());

        Files.delete(dir.resolve("trace.1"));
        Files.delete(dir.resolve("trace.closed"));
        cli = Cli.run("check", dir.toString());
        assertEquals(ExitCodes.DAMAGED, cli.status(), cli::toString);
        assertTrue(cli.out().contains("trace.1 (missing)"), cli.out());
        assertTrue(cli.out().contains("problem: trace.closed: incomplete: missing: the trace was not closed cleanly"), cli.out());
        assertTrue(cli.out().endsWith("status: incomplete (3 problems)\n"), cli.out());
    }

    @Test
    void manyDamagedRegionsAreAllListedByCheckAndSummarisedInWarnings(@TempDir final Path dir) throws Exception
    {
        copy(dir);
        int regions = 0;
        for (final String name : new String[] {"trace.0", "trace.1"})
        {
            final Path file = dir.resolve(name);
            final List<Long> starts = TraceSurgery.blockStarts(file);
            for (int block = 0; block < starts.size(); block += 2)
            {
                TraceSurgery.flip(file, starts.get(block) + 30); // its sequence: the checksum no longer matches
                regions++;
            }
        }
        assertTrue(regions > 40, "regions=" + regions);
        final Cli check = Cli.run("check", dir.toString());
        assertEquals(ExitCodes.DAMAGED, check.status());
        assertEquals(regions, check.out().lines().filter(l -> l.startsWith("problem: ") && l.contains(": damaged: block checksum mismatch")).count());
        final Cli summary = Cli.run("summary", dir.toString(), "--json");
        assertEquals(ExitCodes.OK, summary.status());
        assertEquals(21, summary.err().lines().count(), summary.err());
        assertTrue(summary.err().endsWith("warning: " + (regions - 20) + " more problems; 'check' lists them all\n"), summary.err());
    }

    @Test
    void appendedGarbageExitsOne(@TempDir final Path dir) throws Exception
    {
        copy(dir);
        Files.write(dir.resolve("trace.global"), new byte[64], StandardOpenOption.APPEND);
        final Cli cli = Cli.run("check", dir.toString());
        assertEquals(ExitCodes.DAMAGED, cli.status(), cli::toString);
        assertTrue(cli.out().contains("damaged: bad magic 0x0 (expected 'RTSB'); skipped 64 bytes to the end of the file"),
            cli.out());
    }

    @Test
    void notATraceIsOneLineAndExitTwoForEveryCommand(@TempDir final Path dir) throws Exception
    {
        for (final String command : new String[] {"check", "summary", "events", "tree", "threads"})
        {
            final Cli cli = Cli.run(command, dir.toString());
            assertEquals(ExitCodes.USAGE, cli.status(), cli::toString);
            assertEquals("", cli.out());
            assertEquals("relaytrace-viewer " + command + ": " + dir +
                " is not a relaytrace trace: no <base>header file (such as trace.header) in it\n", cli.err());
        }
        final Cli missing = Cli.run("summary", dir.resolve("nope").toString(), "--json");
        assertEquals(ExitCodes.USAGE, missing.status());
        assertEquals("relaytrace-viewer summary: no such directory: " + dir.resolve("nope") + "\n", missing.err());
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo()
    {
        final String[][] cases = {
            {"summary", workload.toString(), "--jsn"},
            {"summary"},
            {"frobnicate", workload.toString()},
            {"events", workload.toString(), "--from", "soon"},
            {"export", workload.toString(), "--format", "svg"},
            {"export", workload.toString()},
            {},
        };
        for (final String[] args : cases)
        {
            final Cli cli = Cli.run(args);
            assertEquals(ExitCodes.USAGE, cli.status(), () -> Arrays.toString(args) + " " + cli);
            assertEquals("", cli.out(), cli::toString);
            assertEquals(1, cli.err().lines().count(), cli::toString);
            assertTrue(cli.err().startsWith("relaytrace-viewer"), cli::toString);
            assertFalse(cli.err().contains("Exception"), cli::toString);
        }
        final Cli help = Cli.run("--help");
        assertEquals(ExitCodes.OK, help.status());
        assertTrue(help.out().contains("summary") && help.out().contains("check"), help.out());
    }
}
