package io.relaytrace.bench.overhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the harness working: one round of {@code hot} untraced and under relaytrace, in real child
 * JVMs with the real agent, counted by the real viewer. Skipped (not passed) while the agent or
 * viewer jar is absent.
 */
final class OverheadHarnessTest
{
    private static final int CALLS = 20_000;

    @Test
    @Timeout(60)
    void relaytraceRecordsTwoEventsPerCallOfHot(@TempDir final Path work) throws Exception
    {
        final Path agent = Path.of(System.getProperty("relaytrace.agentJar", "../agent/target/relaytrace-agent.jar"));
        final Path viewer = Path.of(System.getProperty("relaytrace.viewerJar", "../viewer/target/relaytrace-viewer.jar"));
        assumeTrue(Files.isRegularFile(agent) && Files.isRegularFile(viewer), "agent or viewer jar not built");

        final HarnessOptions options = HarnessOptions.parse(new String[] {
            "--workloads", "hot", "--tracers", "none,relaytrace", "--runs", "1", "--hot-calls", Integer.toString(CALLS),
            "--startup-runs", "0", "--agent", agent.toString(), "--viewer", viewer.toString(), "--work", work.toString()});
        final HarnessResults results = OverheadHarness.run(options);

        final List<RunResult> untraced = results.runsOf(Workload.HOT, Tracer.NONE);
        assertEquals(1, untraced.size());
        assertEquals(CALLS, untraced.get(0).calls());
        final List<RunResult> traced = results.runsOf(Workload.HOT, Tracer.RELAYTRACE);
        assertEquals(1, traced.size());
        final RunResult run = traced.get(0);
        assertEquals(CALLS, run.calls());
        assertEquals(CALLS * 2L, run.count().events());
        assertEquals(0, run.count().lost());
        assertEquals(0, run.count().dropped());
        assertTrue(run.traceBytes() >= CALLS * 2L * 16, "traceBytes=" + run.traceBytes());

        final List<HarnessResults.Decode> decodes = results.decodesOf(Workload.HOT, Tracer.RELAYTRACE, TraceDecoders.SUMMARY);
        assertEquals(1, decodes.size());
        assertEquals(CALLS * 2L, decodes.get(0).result().events());
        final String report = MarkdownReport.render(results);
        assertTrue(report.contains("| hot | relaytrace | 20,000 |"), report);
        assertTrue(report.contains("1 of 1 runs complete"), report);
    }

    @Test
    void parsesTheChildCpuTimeFromBashTimes()
    {
        assertEquals(61_234_000_000L + 56_000_000L, ChildProcess.childCpuNanos("0m0.001s 0m0.002s\n1m1.234s 0m0.056s\n"));
        assertEquals(-1, ChildProcess.childCpuNanos("0m0.001s 0m0.002s\n"));
    }

    @Test
    void rejectsBadFlagsWithOneLine()
    {
        final IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> HarnessOptions.parse(new String[] {"--tracers", "none,dtrace"}));
        assertEquals("unknown tracer=dtrace; accepted: none, relaytrace, jfr, jfr-nostack, async-profiler", unknown.getMessage());
        final IllegalArgumentException noBaseline = assertThrows(IllegalArgumentException.class,
            () -> HarnessOptions.parse(new String[] {"--tracers", "jfr"}));
        assertEquals("tracers=[JFR] lack none; accepted: a list with none, the run every overhead is measured against",
            noBaseline.getMessage());
        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
            () -> HarnessOptions.parse(new String[] {"--runs", "0"}));
        assertEquals("--runs 0 is not positive; accepted: a positive int", zero.getMessage());
    }
}
