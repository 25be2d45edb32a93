package io.relaytrace.agent.it;

import com.acme.workload.Phases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The trace's output fails under a running application: the directory is deleted, or the file
 * system fills up (the test mounts a 4 MiB tmpfs and fills it: running as root, a permission change
 * would not stop the writes, and a read-only remount is refused while the files are open for
 * writing). Either way: one line on stderr, the application finishes its work with the right
 * results, what cannot be written is counted; when space returns, writing resumes and the gap is
 * exact in the trace. The workload ({@link Phases}) writes nothing but ENTER and EXIT records once it
 * runs, so every record the trace misses is one of its events.
 */
class OutputFaultsIT
{
    // 1 MiB per buffer holds a whole phase (20,000 calls: 640 KB), which a fast writer produces in
    // under a millisecond, between two polls of the flusher: the test is about the disk, not the flusher.
    private static final String OPTIONS = "include=com.acme.workload.Phases,flush-interval=100ms,subbuf-size=64k,subbufs=16,output=";

    private Path mount;

    @AfterEach
    void unmount() throws Exception
    {
        if (mount != null)
        {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    /**
     * The directory deleted: the open files would take every later block into unlinked inodes, so
     * the runtime checks, before each block, that its file is still there; from then on blocks are
     * counted as not written (in {@code status}), and nothing is recreated.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void deletedOutputDirectoryIsSaidOnceCountedAndNotRecreated(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm child = start(jdk, trace);
        final String pid = Long.toString(child.pid());
        try
        {
            child.awaitLine("ready");
            phase(child, 10_000);
            Conditions.await(() -> Files.exists(trace.resolve("trace.0")) && size(trace.resolve("trace.0")) + size(trace.resolve("trace.1")) > 0,
                "the first phase's events written");
            deleteTree(trace);
            phase(child, 10_000);
            Conditions.await(() -> statusCounter(jdk, pid, "blocksNotWritten") > 0, "status counts the blocks not written");
        }
        finally
        {
            child.closeStdin();
            child.await();
        }
        assertEquals(0, child.exitCode());
        assertEquals(2, child.stderr().size(), () -> "stderr=" + child.stderr());
        assertEquals(ChildJvm.JVM_CDS_NOTICE, child.stderr().get(0));
        assertTrue(child.stderr().get(1).matches("relaytrace: the trace file " + Pattern.quote(trace.toString()) +
            "/trace\\.(0|1|global) was deleted or replaced; not writing there again, its blocks are counted as not " +
            "written from now on"), child.stderr().get(1));
        assertFalse(Files.exists(trace), "the deleted directory is not recreated");
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void fullFileSystemIsCountedAndWritingResumesWithTheGapInTheTrace(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path point = Files.createDirectory(dir.resolve("small"));
        final Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", point.toString())
            .redirectErrorStream(true).start();
        assumeTrue(mounting.waitFor() == 0, "mounting a tmpfs needs root");
        mount = point;

        final Path trace = point.resolve("t1");
        final ChildJvm child = start(jdk, trace);
        final Path filler = point.resolve("filler");
        try
        {
            child.awaitLine("ready");
            phase(child, 10_000);
            fill(filler);
            phase(child, 20_000); // 640 KB of events, none of which can be written (the buffer holds 512 KB)
            Conditions.await(() -> child.stderr().stream().anyMatch(line -> line.startsWith("relaytrace: cannot write")), "the failure said");
            Files.delete(filler);
            Thread.sleep(1500); // recovery is announced after a quiet second
            phase(child, 10_000);
            Conditions.await(() -> child.stderr().stream().anyMatch(line -> line.contains("works again")), "the recovery said");
        }
        finally
        {
            child.closeStdin();
            child.await();
        }
        assertEquals(0, child.exitCode());
        assertFailureAndRecoverySaid(child.stderr(), trace, "(0|1|global)", "No space left on device");

        final TraceSummary summary = TraceSummary.of(trace);
        // ENTER and EXIT: main, the warm-up call, the three phases.
        final long events = 2L * (1 + 1 + 10_000 + 20_000 + 10_000);
        final long lost = summary.number("lost");
        // Dropped: on a loaded machine the flusher, busy failing, may fall behind the writer, which
        // then drops rather than waits (discard mode), and counts.
        final long dropped = summary.number("dropped");
        System.out.println("OutputFaultsIT " + jdk + ": " + summary.number("events") + " events in the trace, " + lost +
            " counted lost to the full file system, " + dropped + " dropped, of " + events);
        assertAll(
            () -> assertTrue(lost > 0, () -> "the full file system cost events: " + summary),
            () -> assertEquals(events, summary.number("events") + lost + dropped, () -> "every event in the trace or counted: " +
                summary),
            () -> assertFalse(summary.flag("incomplete"), "closed cleanly after the disk recovered"));
    }

    private static ChildJvm start(final Jdk jdk, final Path trace) throws IOException
    {
        return ChildJvm.start(jdk, List.of(), ChildJvm.AGENT_JAR, OPTIONS + trace, List.of(ChildJvm.TEST_CLASSES),
            Phases.class.getName());
    }

    /** One phase of the workload, which must finish with the right result. */
    private static void phase(final ChildJvm child, final int calls) throws Exception
    {
        child.send(Integer.toString(calls));
        assertEquals("done " + calls + " sum=" + Phases.expectedSum(calls), child.awaitLine("done "));
    }

    /** Fills the file system with one file, until it refuses more. */
    private static void fill(final Path filler) throws IOException
    {
        final byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler))
        {
            while (true)
            {
                out.write(chunk);
            }
        }
        catch (final IOException ex)
        {
            if (!ex.getMessage().contains("No space left on device"))
            {
                throw ex;
            }
        }
    }

    /** @return the counter {@code key=N} from the agent's {@code status} line, or -1. */
    private static long statusCounter(final Jdk jdk, final String pid, final String key)
    {
        try
        {
            final ChildJvm status = ChildJvm.agentCommand(jdk, "status", pid);
            for (final String word : String.join(" ", status.stdout()).split(" "))
            {
                if (word.startsWith(key + "="))
                {
                    return Long.parseLong(word.substring(key.length() + 1));
                }
            }
            return -1;
        }
        catch (final IOException | InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }

    /**
     * Asserts that the traced JVM said nothing but the JVM's notice, one line when writing a trace
     * file failed and one when it worked again.
     *
     * @param files   a pattern of the trace files' suffixes that may have failed.
     * @param error   the system's words for the failure.
     */
    static void assertFailureAndRecoverySaid(final List<String> stderr, final Path trace, final String files, final String error)
    {
        assertEquals(3, stderr.size(), () -> "stderr=" + stderr);
        assertEquals(ChildJvm.JVM_CDS_NOTICE, stderr.get(0));
        final String file = Pattern.quote(trace.toString()) + "/trace\\." + files;
        assertTrue(stderr.get(1).matches("relaytrace: cannot write " + file + " \\(" + Pattern.quote(error) +
            "\\); counting lost blocks and retrying"), stderr.get(1));
        assertTrue(stderr.get(2).matches("relaytrace: writing to " + file + " works again; blocks not written so far: [1-9][0-9]*"),
            stderr.get(2));
    }
}
