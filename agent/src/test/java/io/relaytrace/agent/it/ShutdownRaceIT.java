package io.relaytrace.agent.it;

import com.acme.workload.ExitRace;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code System.exit} called by many threads at once while other threads trace ({@link ExitRace}):
 * the JVM exits with the status given, and the trace closes cleanly ({@code check} exit 0, the close
 * marker agreeing with the files).
 * <p>
 * What can be known, and is asserted exactly: the exiting threads' calls, all made before they
 * exit, are all in the trace. The spinning threads trace until the JVM halts, after the agent's
 * shutdown hook closed the channel: the trace holds each of their calls made before the close whole
 * (ENTER and EXIT), at most one call per thread cut by the close (ENTER only), and none after it;
 * how many calls they made after the close cannot be known from the trace, and is not in it.
 */
class ShutdownRaceIT
{
    private static final int EXITERS = 8;
    private static final int CALLS = 5000;
    private static final int SPINNERS = 4;
    private static final int STATUS = 7;

    @ParameterizedTest
    @EnumSource(Jdk.class)
    void exitFromManyThreadsWhileTracingClosesTheTraceCleanly(final Jdk jdk, @TempDir final Path dir) throws Exception
    {
        final Path trace = dir.resolve("t1");
        final ChildJvm child = ChildJvm.start(jdk, List.of(), ChildJvm.AGENT_JAR,
            "include=com.acme.workload.ExitRace::work,include=com.acme.workload.ExitRace::spin,output=" + trace,
            List.of(ChildJvm.TEST_CLASSES), ExitRace.class.getName(),
            Integer.toString(EXITERS), Integer.toString(CALLS), Integer.toString(SPINNERS), Integer.toString(STATUS)).finish();

        assertEquals(STATUS, child.exitCode(), () -> "stderr=" + child.stderr());
        assertEquals(List.of(ChildJvm.JVM_CDS_NOTICE), child.stderr());
        assertTrue(Files.isRegularFile(trace.resolve("trace.closed")), "closed cleanly");
        final ChildJvm check = TraceSummary.viewer("check", trace);
        assertEquals(0, check.exitCode(), () -> String.join("\n", check.stdout()) + "\n" + check.stderr());
        assertEquals("status: intact", check.stdout().get(check.stdout().size() - 1));

        final TraceSummary summary = TraceSummary.of(trace);
        final long[] work = summary.callsAndExceptions("com.acme.workload.ExitRace.work(long)");
        final long[] spin = summary.callsAndExceptions("com.acme.workload.ExitRace.spin(long)");
        final long cutByClose = summary.number("events") - 2 * work[0] - 2 * spin[0];
        System.out.println("ShutdownRaceIT " + jdk + ": " + summary.number("events") + " events: " + work[0] + " work calls, " +
            spin[0] + " spin calls, " + cutByClose + " cut by the close; dropped " + summary.number("dropped"));
        assertAll(
            () -> assertEquals(List.of((long)EXITERS * CALLS, 0L), Arrays.stream(work).boxed().toList(),
                "every call of the exiting threads: [calls, exceptions]"),
            () -> assertTrue(spin[0] >= SPINNERS, () -> "the spinners traced: " + summary),
            () -> assertTrue(cutByClose >= 0 && cutByClose <= SPINNERS,
                () -> "at most one call per spinning thread cut by the close: " + cutByClose + " in " + summary),
            () -> assertEquals(0, summary.number("lost"), "lost"),
            () -> assertFalse(summary.flag("incomplete"), "incomplete"),
            () -> assertEquals(EXITERS + SPINNERS, summary.number("threads"), "threads"));
    }
}
