package io.relaytrace.agent.it;

import com.acme.workload.Phases;
import io.relaytrace.relay.format.ClosedMarker;
import io.relaytrace.relay.format.ClosedMarkerDescriptor;
import io.relaytrace.relay.format.SubbufDescriptor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The trace's output made unwritable under a running traced JVM, which runs as user nobody
 * ({@code setpriv}; as root, permissions would not stop it) in a directory of its own, while the test
 * (root) takes the write permission away and gives it back: {@code chmod 0500} on the trace
 * directory, {@code 0400} on its files. On Linux a permission is checked when a file is opened, so
 * the descriptors the trace holds keep writing: what a read-only directory stops is only what needs
 * a new file: the close marker, and with {@code buffers=mmap} the buffer file of a carrier that comes
 * online. Also a file-size limit ({@code prlimit --fsize}, which the JVM's writes meet as
 * {@code EFBIG}: the JVM ignores {@code SIGXFSZ}), raised again mid-run. The workload is
 * {@link Phases}: after its start, nothing but its calls' ENTER and EXIT records, so every event is
 * accounted for exactly.
 */
class UnwritableOutputIT
{
    private static final int NOBODY = 65534;
    private static final String OPTIONS = "include=com.acme.workload.Phases,flush-interval=100ms,subbuf-size=64k,subbufs=16";
    /** ENTER and EXIT of {@code main} and of its warm-up call. */
    private static final long START_EVENTS = 4;

    /**
     * Read-only for two phases, one on a new thread (a heap buffer needs no file): no line on
     * stderr, the events go on being written while read-only (the test waits until the per-CPU
     * files hold at least 16 bytes, an event's size, per event so far), and after the permissions
     * return the trace closes cleanly with every event.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void readOnlyDirectoryAndFilesLoseNothingTheOpenFilesCanTake(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = ownedByNobody(dir).resolve("t1");
        final ChildJvm child = startAsNobody(jdk, dir, OPTIONS + ",output=" + trace);
        long events = START_EVENTS;
        try
        {
            child.awaitLine("ready");
            events += phase(child, "10000");
            readOnly(trace);
            events += phase(child, "20000");
            events += phase(child, "thread 5000");
            final long written = events - 2; // all but main's EXIT, still to come
            Conditions.await(() -> perCpuBytes(trace) >= 16 * written, "every event so far written through the open files");
            writable(trace);
            events += phase(child, "10000");
        }
        finally
        {
            child.closeStdin();
            child.await();
        }
        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr(), "nothing to say: nothing was lost");
        assertEveryEventRead(trace, events, true);
        final ChildJvm check = TraceSummary.viewer("check", trace);
        assertEquals(0, check.exitCode(), check.stdout()::toString);
    }

    /**
     * Still read-only when the JVM exits: the close marker, the only file the trace creates after it
     * started, cannot be written; one line says so, and the trace reads as incomplete (not damaged)
     * with every event in it.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void directoryReadOnlyAtTheEndLosesOnlyTheCloseMarker(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = ownedByNobody(dir).resolve("t1");
        final ChildJvm child = startAsNobody(jdk, dir, OPTIONS + ",output=" + trace);
        long events = START_EVENTS;
        try
        {
            child.awaitLine("ready");
            events += phase(child, "10000");
            readOnly(trace);
            events += phase(child, "20000");
        }
        finally
        {
            child.closeStdin();
            child.await();
        }
        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE, "relaytrace: cannot write the close marker in " + trace + ": " +
            trace.resolve("trace.closed") + ": permission denied"), child.stderr());
        assertFalse(Files.exists(trace.resolve("trace.closed")));

        final ChildJvm check = TraceSummary.viewer("check", trace);
        assertEquals(1, check.exitCode(), check.stdout()::toString);
        final List<String> out = check.stdout();
        assertEquals(List.of("problem: trace.closed: incomplete: missing: the trace was not closed cleanly (the JVM died or is " +
            "still writing)", "status: incomplete (1 problem)"), out.subList(out.size() - 2, out.size()), out::toString);
        assertEveryEventRead(trace, events, false);
    }

    /**
     * With {@code buffers=mmap}, a carrier that comes online while the directory is read-only gets
     * no buffer (its file cannot be created): one line, its events counted as unattributed in the
     * close marker, exactly; the carriers already online write on, and a carrier that comes online
     * once the directory is writable again is traced.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void newCarriersOfMappedBuffersInAReadOnlyDirectoryAreCountedAndLaterOnesTraced(final Jdk jdk, @TempDir final Path dir)
        throws Exception
    {
        final Path trace = ownedByNobody(dir).resolve("t1");
        final ChildJvm child = startAsNobody(jdk, dir, OPTIONS + ",buffers=mmap,output=" + trace);
        long events = START_EVENTS;
        final long unattributed;
        try
        {
            child.awaitLine("ready");
            events += phase(child, "10000");
            readOnly(trace);
            unattributed = phase(child, "thread 5000");
            events += phase(child, "20000");
            writable(trace);
            events += phase(child, "thread 3000");
        }
        finally
        {
            child.closeStdin();
            child.await();
        }
        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        final List<String> stderr = child.stderr();
        assertEquals(2, stderr.size(), stderr::toString);
        assertEquals(ChildJvm.JVM_CDS_NOTICE, stderr.get(0));
        assertTrue(stderr.get(1).matches("relaytrace: cannot map a buffer for carrier Thread-[0-9]+: " +
            Pattern.quote(trace.resolve("trace.buffer").toString()) + "[0-9]+\\.mmap: permission denied; its events are counted " +
            "as unattributed, further such failures only counted"), stderr.get(1));

        final ClosedMarker closed = ClosedMarkerDescriptor.decode(ByteBuffer.wrap(Files.readAllBytes(trace.resolve("trace.closed"))));
        assertEquals(unattributed, closed.unattributed(), closed::toString);
        assertEveryEventRead(trace, events, true);
        try (Stream<Path> files = Files.list(trace))
        {
            assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".mmap")).toList(), "no mapped buffer left");
        }
        final ChildJvm check = TraceSummary.viewer("check", trace);
        assertEquals(0, check.exitCode(), check.stdout()::toString);
    }

    /**
     * With {@code buffers=mmap}, a carrier that ends while the directory is read-only: its buffer is
     * retired (drained into the files, its final block written) but its file cannot be deleted. Nothing
     * is lost and nothing said; the file stays in the cleanly closed trace, which reads as intact
     * with every event (the viewer sees that the file holds nothing the files lack).
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void aMappedBufferRetiredInAReadOnlyDirectoryIsALeftoverTheTraceReadsWhole(final Jdk jdk, @TempDir final Path dir)
        throws Exception
    {
        final Path trace = ownedByNobody(dir).resolve("t1");
        final ChildJvm child = startAsNobody(jdk, dir, OPTIONS + ",buffers=mmap,output=" + trace);
        long events = START_EVENTS;
        final Path leftover;
        try
        {
            child.awaitLine("ready");
            events += phase(child, "10000");
            final List<Path> before = mappedFiles(trace);
            child.send("start 3000");
            assertEquals("done 3000 sum=" + Phases.expectedSum(3000), child.awaitLine("done "));
            events += 2 * 3000 + 4; // the thread's lambda and its wait, traced too
            final List<Path> started = mappedFiles(trace);
            started.removeAll(before);
            assertEquals(1, started.size(), started::toString);
            leftover = started.get(0);
            final String name = leftover.getFileName().toString();
            final int bufferId = Integer.parseInt(name.substring("trace.buffer".length(), name.length() - ".mmap".length()));
            readOnly(trace);
            child.send("stop");
            assertEquals("stopped", child.awaitLine("stopped"));
            Conditions.await(() -> hasFinalBlock(trace, bufferId), "the ended thread's buffer retired: its final block written");
            // The file is deleted right after the final block, in the same step of the flusher: a
            // second is ample for it to have been tried, and to have failed.
            Thread.sleep(1000);
            assumeTrue(Files.exists(leftover), "the deletion was tried only after the permissions returned");
            writable(trace);
            events += phase(child, "1000");
        }
        finally
        {
            child.closeStdin();
            child.await();
        }
        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr());
        assertTrue(Files.exists(leftover), "not deleted at close either");
        assertTrue(Files.exists(trace.resolve("trace.closed")));
        final ChildJvm check = TraceSummary.viewer("check", trace);
        assertEquals(0, check.exitCode(), check.stdout()::toString);
        assertEquals("status: intact", check.stdout().get(check.stdout().size() - 1));
        assertEveryEventRead(trace, events, true);
    }

    /**
     * A file-size limit ({@code prlimit --fsize}, 1 MiB) that a phase's events exceed: writes fail
     * with {@code EFBIG}; one line when they start failing and one when, the limit raised
     * ({@code prlimit --pid}), they work again; the blocks not written are counted and the trace's
     * events plus those counted lost and dropped are exactly every event. Runs as root: the limit
     * binds root too.
     */
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void fileSizeLimitIsCountedAndWritingResumesWhenItIsRaised(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm child = ChildJvm.startWrapped(List.of("prlimit", "--fsize=1048576:unlimited"), dir, jdk, List.of(),
            ChildJvm.AGENT_JAR.toAbsolutePath(), OPTIONS + ",output=" + trace, List.of(ChildJvm.TEST_CLASSES.toAbsolutePath()),
            Phases.class.getName());
        long events = START_EVENTS;
        try
        {
            child.awaitLine("ready");
            events += phase(child, "10000");
            events += phase(child, "40000"); // 1.28 MB of events into one slot's file
            Conditions.await(() -> child.stderr().stream().anyMatch(line -> line.startsWith("relaytrace: cannot write")), "the failure said");
            final ChildJvm raise = ChildJvm.exec(List.of("prlimit", "--pid", Long.toString(child.pid()), "--fsize=unlimited:unlimited"));
            assertEquals(0, raise.exitCode(), raise.stderr()::toString);
            Thread.sleep(1500); // recovery is announced after a quiet second
            events += phase(child, "10000");
            Conditions.await(() -> child.stderr().stream().anyMatch(line -> line.contains("works again")), "the recovery said");
        }
        finally
        {
            child.closeStdin();
            child.await();
        }
        assertEquals(0, child.exitCode(), () -> "stderr=" + child.stderr());
        OutputFaultsIT.assertFailureAndRecoverySaid(child.stderr(), trace, "[0-9]+", "File too large");

        final TraceSummary summary = TraceSummary.of(trace);
        final long lost = summary.number("lost");
        final long dropped = summary.number("dropped");
        final long expected = events;
        System.out.println("UnwritableOutputIT " + jdk + ": file-size limit: " + summary.number("events") + " events in the trace, " +
            lost + " counted lost, " + dropped + " dropped, of " + expected);
        assertAll(
            () -> assertTrue(lost > 0, () -> "the limit cost events: " + summary),
            () -> assertEquals(expected, summary.number("events") + lost + dropped, () -> "every event in the trace or counted: " +
                summary),
            () -> assertFalse(summary.flag("incomplete"), "closed cleanly"));
    }

    /**
     * A directory nobody may enter and use for the traced JVM's output, with the agent jar and the
     * workload's class copied where nobody can read them (wherever the build tree is).
     *
     * @return the directory, owned by nobody, for the trace directory the agent creates in it.
     */
    private static Path ownedByNobody(final Path dir) throws IOException
    {
        assumeTrue("root".equals(System.getProperty("user.name")), "running the traced JVM as another user needs root");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path shared = Files.createDirectories(dir.resolve("shared/classes/com/acme/workload"));
        final String className = Phases.class.getName().replace('.', '/') + ".class";
        Files.copy(ChildJvm.TEST_CLASSES.resolve(className), dir.resolve("shared/classes").resolve(className));
        Files.copy(ChildJvm.AGENT_JAR, dir.resolve("shared/relaytrace-agent.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        try (Stream<Path> paths = Files.walk(dir.resolve("shared")))
        {
            for (final Path path : paths.toList())
            {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        assertTrue(Files.isDirectory(shared));
        final Path out = Files.createDirectory(dir.resolve("out"));
        Files.setAttribute(out, "unix:uid", NOBODY);
        Files.setAttribute(out, "unix:gid", NOBODY);
        return out;
    }

    private static ChildJvm startAsNobody(final Jdk jdk, final Path dir, final String agentOptions) throws IOException
    {
        final Path shared = dir.resolve("shared");
        return ChildJvm.startWrapped(
            List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"), shared, jdk,
            List.of("-XX:-UsePerfData"), shared.resolve("relaytrace-agent.jar"), agentOptions, List.of(shared.resolve("classes")),
            Phases.class.getName());
    }

    /** {@code chmod 0500} the trace directory and {@code 0400} its files. */
    private static void readOnly(final Path trace) throws IOException
    {
        chmod(trace, "r-x------", "r--------");
    }

    /** Their permissions as the runtime made them: {@code 0700} and {@code 0600}. */
    private static void writable(final Path trace) throws IOException
    {
        chmod(trace, "rwx------", "rw-------");
    }

    private static void chmod(final Path trace, final String directory, final String files) throws IOException
    {
        try (Stream<Path> paths = Files.list(trace))
        {
            for (final Path path : paths.toList())
            {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(files));
            }
        }
        Files.setPosixFilePermissions(trace, PosixFilePermissions.fromString(directory));
    }

    /**
     * One phase of the workload, which must finish with the right result.
     *
     * @param command {@code N}, or {@code thread N} for a new thread.
     * @return the events the phase makes: 2 per call, and for a new thread 2 for its lambda.
     */
    private static long phase(final ChildJvm child, final String command) throws Exception
    {
        final boolean thread = command.startsWith("thread ");
        final int calls = Integer.parseInt(thread ? command.substring("thread ".length()) : command);
        child.send(command);
        assertEquals("done " + calls + " sum=" + Phases.expectedSum(calls), child.awaitLine("done "));
        return 2L * calls + (thread ? 2 : 0);
    }

    private static List<Path> mappedFiles(final Path trace) throws IOException
    {
        try (Stream<Path> paths = Files.list(trace))
        {
            return new java.util.ArrayList<>(paths.filter(p -> p.toString().endsWith(".mmap")).toList());
        }
    }

    /** @return whether a per-CPU file holds, whole, the final block of buffer {@code bufferId}. */
    private static boolean hasFinalBlock(final Path trace, final int bufferId)
    {
        try (Stream<Path> paths = Files.list(trace))
        {
            for (final Path file : paths.filter(p -> p.getFileName().toString().matches("trace\\.[0-9]+")).toList())
            {
                final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
                int at = 0;
                while (at + SubbufDescriptor.HEADER_LENGTH <= bytes.limit() && bytes.getInt(at) == SubbufDescriptor.MAGIC)
                {
                    final int length = bytes.getInt(at + SubbufDescriptor.CONTENT_LENGTH_OFFSET);
                    if ((bytes.getShort(at + SubbufDescriptor.FLAGS_OFFSET) & SubbufDescriptor.FLAG_FINAL) != 0 &&
                        bytes.getInt(at + SubbufDescriptor.BUFFER_ID_OFFSET) == bufferId)
                    {
                        return true;
                    }
                    at += SubbufDescriptor.HEADER_LENGTH + length;
                }
            }
            return false;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** @return the bytes in the per-CPU files (blocks: headers and events), as far as they can be read. */
    private static long perCpuBytes(final Path trace)
    {
        try (Stream<Path> paths = Files.list(trace))
        {
            return paths.filter(p -> p.getFileName().toString().matches("trace\\.[0-9]+")).mapToLong(p -> p.toFile().length()).sum();
        }
        catch (final IOException ex)
        {
            return 0;
        }
    }

    /** The trace holds exactly {@code events} events, none lost or dropped, closed cleanly or not. */
    private static void assertEveryEventRead(final Path trace, final long events, final boolean closedCleanly) throws Exception
    {
        final TraceSummary summary = TraceSummary.of(trace);
        assertAll(
            () -> assertEquals(events, summary.number("events"), summary::toString),
            () -> assertEquals(0, summary.number("lost"), summary::toString),
            () -> assertEquals(0, summary.number("dropped"), summary::toString),
            () -> assertEquals(!closedCleanly, summary.flag("incomplete"), closedCleanly ? "closed cleanly" : "no close marker"));
    }
}
