package io.relaytrace.agent.it;

import com.acme.workload.Phases;
import com.sun.jdi.Bootstrap;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.AttachingConnector;
import com.sun.jdi.connect.Connector;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flusher stalled in a real traced JVM, as behind a disk that stops answering: the test suspends
 * the thread {@code relaytrace-flusher} through the JVM's own debugger interface (JDWP, driven with
 * JDI), so nothing in the agent differs from production. While it is suspended the application runs
 * a phase that writes twelve times what a carrier's buffer holds, and must finish it with the right
 * result: had any event waited for the flusher, the phase would never end. Discard mode drops what
 * does not fit, overwrite mode laps the oldest sub-buffers, both count it: once the flusher is
 * resumed and the JVM exits, events in the trace + lost + dropped = every ENTER and EXIT, exactly.
 * <p>
 * Exactness needs every record the trace misses to be an ENTER or EXIT: {@link Phases} writes
 * nothing else after its first call, and the test waits for the flusher to write the first records
 * (main's THREAD record among them) before it suspends the flusher.
 */
class StalledFlusherIT
{
    /** A buffer of 256 KiB holds 16,376 events; the stalled phase writes 200,000. */
    private static final String OPTIONS = "include=com.acme.workload.Phases,flush-interval=100ms,subbuf-size=64k,subbufs=4,output=";
    private static final int STALLED_CALLS = 100_000;
    private static final int RESUMED_CALLS = 1_000;
    private static final String JDWP_LISTENING = "Listening for transport dt_socket at address: ";

    static Stream<Arguments> jdksAndModes()
    {
        return Stream.of(Jdk.values()).flatMap(jdk -> Stream.of(Arguments.of(jdk, "discard"), Arguments.of(jdk, "overwrite")));
    }

    @ParameterizedTest
    @MethodSource("jdksAndModes")
    void theApplicationNeverWaitsForAStalledFlusherAndEveryEventIsCounted(final Jdk jdk, final String mode, @TempDir final Path dir)
        throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm child = ChildJvm.start(jdk, List.of("-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0"),
            ChildJvm.AGENT_JAR, OPTIONS + trace + ",mode=" + mode, List.of(ChildJvm.TEST_CLASSES), Phases.class.getName());
        VirtualMachine vm = null;
        try
        {
            final int port = Integer.parseInt(child.awaitLine(JDWP_LISTENING).substring(JDWP_LISTENING.length()).trim());
            child.awaitLine("ready");
            awaitFirstRecordsWritten(trace);
            vm = attach(port);
            final ThreadReference flusher = thread(vm, "relaytrace-flusher");

            flusher.suspend();
            phase(child, STALLED_CALLS);
            assertEquals(1, flusher.suspendCount(), "the flusher stayed suspended through the phase");
            flusher.resume();

            phase(child, RESUMED_CALLS);
        }
        finally
        {
            // The debugger stays connected until the JVM exits: closed earlier, the JVM's debug
            // agent may still be answering it and print a broken pipe at exit.
            child.closeStdin();
            child.await();
            disconnect(vm);
        }
        assertEquals(0, child.exitCode());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr(), "a stalled flusher is not an error: nothing said");

        final TraceSummary summary = TraceSummary.of(trace);
        // ENTER and EXIT: main, the warm-up call, the two phases.
        final long events = 2L * (1 + 1 + STALLED_CALLS + RESUMED_CALLS);
        final long lost = summary.number("lost");
        final long dropped = summary.number("dropped");
        System.out.println("StalledFlusherIT " + jdk + " " + mode + ": " + summary.number("events") + " events in the trace, " +
            lost + " lost, " + dropped + " dropped, of " + events);
        assertAll(
            () -> assertEquals(events, summary.number("events") + lost + dropped, () -> "every event in the trace or counted: " +
                summary),
            () -> assertTrue("discard".equals(mode) ? dropped > 0 && lost == 0 : lost > 0 && dropped == 0,
                () -> mode + " mode: " + ("discard".equals(mode) ? "drops" : "laps") + " and counts: " + summary),
            () -> assertTrue(summary.number("events") >= 2L * RESUMED_CALLS, () -> "writing resumed: " + summary),
            () -> assertFalse(summary.flag("incomplete"), "closed cleanly"));
    }

    /** Main's THREAD record and first events reach the files at the first flush interval. */
    private static void awaitFirstRecordsWritten(final Path trace) throws Exception
    {
        Conditions.await(() -> size(trace.resolve("trace.0")) + size(trace.resolve("trace.1")) > 0, "the first records written");
    }

    private static long size(final Path file)
    {
        return file.toFile().length(); // 0 for a file not there yet
    }

    private static VirtualMachine attach(final int port) throws Exception
    {
        final AttachingConnector socket = Bootstrap.virtualMachineManager().attachingConnectors().stream()
            .filter(connector -> "com.sun.jdi.SocketAttach".equals(connector.name()))
            .findFirst().orElseThrow();
        final Map<String, Connector.Argument> arguments = socket.defaultArguments();
        arguments.get("hostname").setValue("127.0.0.1");
        arguments.get("port").setValue(Integer.toString(port));
        return socket.attach(arguments);
    }

    private static void disconnect(final VirtualMachine vm)
    {
        if (vm == null)
        {
            return;
        }
        try
        {
            vm.dispose();
        }
        catch (final VMDisconnectedException ex)
        {
            // The JVM exited first: nothing left to close.
        }
    }

    private static ThreadReference thread(final VirtualMachine vm, final String name)
    {
        return vm.allThreads().stream().filter(thread -> name.equals(thread.name())).findFirst()
            .orElseThrow(() -> new AssertionError("no thread named " + name));
    }

    private static void phase(final ChildJvm child, final int calls) throws Exception
    {
        child.send(Integer.toString(calls));
        assertEquals("done " + calls + " sum=" + Phases.expectedSum(calls), child.awaitLine("done "));
    }
}
