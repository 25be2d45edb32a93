package io.relaytrace.agent.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code relaytrace-agent.jar attach/detach/status/list} against a running workload: an attach traces
 * classes already loaded and those loaded later; a detach closes the trace and restores the original
 * bytecode, so that a second attach traces every call once, not twice; and a frame entered during
 * the first trace that exits during the second (old advice, old method id) adds nothing to it.
 */
class AttachIT
{
    @ParameterizedTest
    @EnumSource(Jdk.class)
    void attachDetachAndAttachAgain(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path first = dir.resolve("first");
        final Path second = dir.resolve("second");
        // The target runs elsewhere than the tool, so that a relative output= shows whose directory counts.
        final ChildJvm child = ChildJvm.startIn(Files.createDirectory(dir.resolve("target-cwd")), jdk, "interactive");
        final String pid = Long.toString(child.pid());
        try
        {
            child.awaitLine("ready");
            final ChildJvm before = cli(jdk, "status", pid);
            assertEquals(List.of("no relaytrace agent loaded"), before.stdout());
            assertEquals(0, before.exitCode());
            assertTrue(cli(jdk, "list").stdout().stream().anyMatch(line -> line.startsWith(pid + " ")), "list shows pid=" + pid);

            final String options = "include=com.acme.**,output=" + first;
            final ChildJvm attach = cli(jdk, "attach", pid, options);
            assertEquals(1, attach.stdout().size(), () -> "stdout=" + attach.stdout() + " stderr=" + attach.stderr());
            assertTrue(attach.stdout().get(0).startsWith("tracing output=" + first + " options=" + options + " events="),
                attach.stdout().get(0));
            assertEquals(0, attach.exitCode());
            final ChildJvm again = cli(jdk, "attach", pid, "include=com.acme.**,output=" + second);
            assertEquals(List.of("relaytrace: already tracing to output=" + first + "; detach first"), again.stderr());
            assertEquals(1, again.exitCode());

            child.send("hold");
            child.awaitLine("holding");
            child.send("run");
            final String done = child.awaitLine("done checksum=");
            Thread.sleep(1500); // status is refreshed every second
            final String status = cli(jdk, "status", pid).stdout().get(0);
            assertTrue(status.startsWith("tracing output=" + first + " options=" + options + " events="), status);
            assertTrue(status.contains(" dropped=0 ") && status.contains(" unattributed=0 "), status);
            assertFalse(status.contains(" events=0 "), "the run's events are counted: " + status);

            final ChildJvm detach = cli(jdk, "detach", pid);
            assertEquals(List.of("detached output=" + first), detach.stdout(), () -> "stderr=" + detach.stderr());
            assertEquals(0, detach.exitCode());
            assertTrue(Files.isRegularFile(first.resolve("trace.closed")), "detach closes the trace");

            child.send("run");
            assertEquals(done, child.awaitLine("done checksum="), "untraced after detach, same result");

            // Relative: resolved against the tool's working directory (this test's), not the target's.
            final ChildJvm reattach = cli(jdk, "attach", pid, "include=com.acme.**,output=" +
                Path.of("").toAbsolutePath().relativize(second));
            assertEquals(0, reattach.exitCode(), () -> "stderr=" + reattach.stderr());
            child.send("release");
            child.awaitLine("released");
            child.send("run");
            assertEquals(done, child.awaitLine("done checksum="));
            assertEquals(0, cli(jdk, "detach", pid).exitCode());
            final ChildJvm notTracing = cli(jdk, "detach", pid);
            assertEquals(List.of("relaytrace: not tracing; nothing to detach"), notTracing.stderr());
            assertEquals(1, notTracing.exitCode());
        }
        finally
        {
            child.closeStdin();
            child.await();
        }
        assertEquals(0, child.exitCode());
        final List<String> expectedStderr = List.of(
            ChildJvm.JVM_CDS_NOTICE,
            "relaytrace: already tracing to output=" + first + "; detach first",
            "relaytrace: not tracing; nothing to detach");
        assertEquals(expectedStderr, child.stderr());

        for (final Path trace : List.of(first, second))
        {
            final TraceSummary summary = TraceSummary.of(trace);
            final boolean firstRunTraced = trace.equals(first);
            assertAll(
                () -> assertEquals(0, summary.number("lost"), "lost"),
                () -> assertEquals(0, summary.number("dropped"), "dropped"),
                () -> assertFalse(summary.flag("incomplete"), "incomplete"));
            // main was running before the attach: its frame keeps the original code.
            final WorkloadCounts counts = WorkloadCounts.of(jdk, 1, false, firstRunTraced);
            counts.assertMatches(summary);
            // First trace: Holder.start() entered and exited, Holder.hold() entered only.
            // Second trace: Holder.release() entered and exited; hold()'s exit belongs to the first.
            final long holderEvents = firstRunTraced ? 3 : 2;
            assertEquals(2 * counts.totalCalls() + holderEvents, summary.number("events"),
                "events: ENTER and EXIT or THROW per call");
        }
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void dumpWritesAFlightRecorderSnapshotWhileTracingGoesOn(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("fr");
        final ChildJvm child = ChildJvm.startIn(Files.createDirectory(dir.resolve("target-cwd")), jdk, "interactive");
        final String pid = Long.toString(child.pid());
        try
        {
            child.awaitLine("ready");
            final ChildJvm attach = cli(jdk, "attach", pid, "include=com.acme.**,mode=flight-recorder,output=" + trace);
            assertEquals(0, attach.exitCode(), () -> "stderr=" + attach.stderr());
            child.send("run");
            child.awaitLine("done checksum=");
            assertEquals(0, Files.size(trace.resolve("trace.0")), "a flight recorder writes nothing before a dump");

            final ChildJvm dump = cli(jdk, "dump", pid);
            assertEquals(0, dump.exitCode(), () -> "stderr=" + dump.stderr());
            assertTrue(dump.stdout().get(0).startsWith("dumped output=" + trace + " events="), dump.stdout().get(0));
            final TraceSummary snapshot = TraceSummary.of(trace);
            assertTrue(snapshot.flag("incomplete"), "a snapshot of a trace still running is incomplete");
            final WorkloadCounts counts = WorkloadCounts.of(jdk, 1, false, true);
            counts.assertMatches(snapshot);

            assertEquals(0, cli(jdk, "detach", pid).exitCode());
            final ChildJvm noTrace = cli(jdk, "dump", pid);
            assertEquals(List.of("relaytrace: not tracing; nothing to dump"), noTrace.stderr());
            assertEquals(1, noTrace.exitCode());
        }
        finally
        {
            child.closeStdin();
            child.await();
        }
        assertEquals(0, child.exitCode());
        final TraceSummary closed = TraceSummary.of(trace);
        assertFalse(closed.flag("incomplete"));
        WorkloadCounts.of(jdk, 1, false, true).assertMatches(closed);
    }

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void usageAndUnknownPid(final Jdk jdk) throws Exception
    {
        final ChildJvm usage = cli(jdk, "attach");
        assertEquals(List.of("relaytrace: usage: java -jar relaytrace-agent.jar attach <pid> include=PATTERN[,key=value...] | " +
            "detach <pid> | status <pid> | dump <pid> | list"), usage.stderr());
        assertEquals(2, usage.exitCode());

        final ChildJvm noSuchPid = cli(jdk, "status", "999999999");
        assertEquals(1, noSuchPid.exitCode());
        assertEquals(1, noSuchPid.stderr().size(), () -> "one line: " + noSuchPid.stderr());
        assertTrue(noSuchPid.stderr().get(0).startsWith("relaytrace: cannot attach to pid 999999999 ("), noSuchPid.stderr().get(0));
    }

    private static ChildJvm cli(final Jdk jdk, final String... args) throws Exception
    {
        return ChildJvm.agentCommand(jdk, args);
    }
}
